package dev.wsboot.listener;

import java.io.InputStream;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.ClassUtils;

/**
 * What a listener method's parameters need, worked out once when it is registered: the
 * kind of payload, and so which frame types it accepts, its JSON route ({@code match} and
 * {@code payload}), and whether it reads message headers. Rejects signatures that cannot
 * work with a {@link WsListenerConfigurationException}.
 */
final class WsListenerSignature {

	private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
			WsListenerSignature.class.getClassLoader());

	private static final String SUPPORTED = "Declare at most one payload parameter (String, byte[], ByteBuffer, "
			+ "WsMessage or a type converted from JSON, optionally with @Payload and @Valid), optionally a WsClient "
			+ "parameter, @Header/@Headers parameters, a Message<?> parameter and, with partial = true, a boolean "
			+ "'last' parameter";

	/**
	 * How the payload parameter is supplied.
	 */
	enum PayloadKind {

		/** No payload parameter: any message. */
		NONE(true, true),

		/** {@code String}: text messages. */
		TEXT(true, false),

		/** {@code byte[]}: binary messages. */
		BYTES(false, true),

		/** {@code ByteBuffer}: binary messages. */
		BYTE_BUFFER(false, true),

		/** {@code WsMessage}: any message. */
		MESSAGE(true, true),

		/** Any other type, converted from the text (or bytes) of any message. */
		CONVERTED(true, true);

		private final boolean text;

		private final boolean binary;

		PayloadKind(boolean text, boolean binary) {
			this.text = text;
			this.binary = binary;
		}

	}

	private final PayloadKind payloadKind;

	private final @Nullable Class<?> payloadType;

	private final @Nullable WsListenerRoute route;

	private final boolean readsHeaders;

	private WsListenerSignature(PayloadKind payloadKind, @Nullable Class<?> payloadType,
			@Nullable WsListenerRoute route, boolean readsHeaders) {
		this.payloadKind = payloadKind;
		this.payloadType = payloadType;
		this.route = route;
		this.readsHeaders = readsHeaders;
	}

	PayloadKind payloadKind() {
		return this.payloadKind;
	}

	/**
	 * The declared payload parameter type.
	 * @return the type, {@code null} without a payload parameter
	 */
	@Nullable Class<?> payloadType() {
		return this.payloadType;
	}

	/**
	 * The listener's JSON route.
	 * @return the route, {@code null} without {@code match} and {@code payload}
	 */
	@Nullable WsListenerRoute route() {
		return this.route;
	}

	/**
	 * Whether a parameter reads the message's headers ({@code @Header}, {@code @Headers},
	 * {@code MessageHeaders}, {@code Message<?>}).
	 * @return whether headers beyond the client's name may be read
	 */
	boolean readsHeaders() {
		return this.readsHeaders;
	}

	/**
	 * Whether the payload is converted from JSON (and so can be read from a parsed tree).
	 * @return whether the payload kind is {@link PayloadKind#CONVERTED}
	 */
	boolean readsJson() {
		return this.payloadKind == PayloadKind.CONVERTED || this.route != null;
	}

	/**
	 * Whether the listener takes messages of this frame type.
	 * @param message the message
	 * @return whether the payload parameter fits
	 */
	boolean accepts(WsMessage message) {
		return message.isText() ? this.payloadKind.text : this.payloadKind.binary;
	}

	/**
	 * The payload to put into the spring-messaging message: what the payload parameter
	 * takes, or for conversion what the converters read: the selected part of the parsed
	 * tree when there is one, else the text as {@code String} or binary as
	 * {@code byte[]}.
	 * @param message the message, accepted by {@link #accepts(WsMessage)}
	 * @param tree the message's parsed JSON, {@code null} when it was not parsed
	 * @return the payload
	 */
	Object payload(WsMessage message, @Nullable Object tree) {
		return switch (this.payloadKind) {
			case TEXT -> (tree != null && this.route != null && this.route.selectsPart()) ? this.route.payload(tree)
					: message.text();
			case BYTES -> message.toBytes();
			case BYTE_BUFFER -> message.binary();
			case MESSAGE, NONE -> message;
			case CONVERTED -> (tree != null) ? ((this.route != null) ? this.route.payload(tree) : tree)
					: (message.isText() ? message.text() : message.toBytes());
		};
	}

	/**
	 * Whether a parameter receives the payload, rather than the client, the last flag,
	 * the headers or the message. A {@code boolean} is the payload unless the listener is
	 * {@code partial} (then it is the last flag), or when it is annotated with
	 * {@code @Payload}.
	 * @param parameter the parameter
	 * @param partial whether the listener receives fragments
	 * @return whether it is the payload parameter
	 */
	static boolean isPayload(MethodParameter parameter, boolean partial) {
		Class<?> type = parameter.getParameterType();
		return type != WsClient.class && !isMessaging(type) && !isHeader(parameter) && !isLast(parameter, partial);
	}

	/**
	 * Whether a parameter receives the {@code last} flag of a fragment: an unannotated
	 * {@code boolean} (or {@code Boolean}) of a {@code partial} listener.
	 * @param parameter the parameter
	 * @param partial whether the listener receives fragments
	 * @return whether it is the last flag
	 */
	static boolean isLast(MethodParameter parameter, boolean partial) {
		Class<?> type = parameter.getParameterType();
		return partial && (type == boolean.class || type == Boolean.class)
				&& !parameter.hasParameterAnnotation(Payload.class) && !isHeader(parameter);
	}

	private static boolean isMessaging(Class<?> type) {
		return Message.class.isAssignableFrom(type) || MessageHeaders.class.isAssignableFrom(type)
				|| MessageHeaderAccessor.class.isAssignableFrom(type);
	}

	/**
	 * Whether a payload parameter type is passed as is, without conversion.
	 * @param type the parameter type
	 * @return whether it is passed through
	 */
	static boolean isPassThrough(Class<?> type) {
		return type == String.class || type == byte[].class || type == ByteBuffer.class || type == WsMessage.class;
	}

	/**
	 * Work out the signature of an endpoint's method.
	 * @param endpoint the endpoint
	 * @return the signature
	 * @throws WsListenerConfigurationException when the method cannot be a listener
	 */
	static WsListenerSignature of(WsListenerEndpoint endpoint) {
		Method method = endpoint.method();
		Class<?> payloadType = null;
		Class<?> messagePayloadType = null;
		boolean readsHeaders = false;
		int booleans = 0;
		for (int i = 0; i < method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			Class<?> type = parameter.getParameterType();
			String unsupported = unsupportedReason(parameter);
			if (unsupported != null) {
				throw invalid(endpoint,
						"has parameter " + i + " of type " + type.getSimpleName() + ", which " + unsupported,
						SUPPORTED + ".");
			}
			if (isHeader(parameter) || MessageHeaders.class.isAssignableFrom(type)
					|| MessageHeaderAccessor.class.isAssignableFrom(type)) {
				readsHeaders = true;
			}
			else if (Message.class.isAssignableFrom(type)) {
				readsHeaders = true;
				messagePayloadType = ResolvableType.forMethodParameter(parameter)
					.as(Message.class)
					.getGeneric(0)
					.resolve(Object.class);
			}
			else if (isLast(parameter, endpoint.partial())) {
				booleans++;
			}
			else if (isPayload(parameter, endpoint.partial())) {
				if (payloadType != null) {
					throw invalid(endpoint,
							"has more than one payload parameter (" + payloadType.getSimpleName() + " and "
									+ type.getSimpleName() + ")",
							"Keep a single payload parameter; inject other collaborators into the bean instead.");
				}
				payloadType = type;
			}
		}
		PayloadKind kind = (payloadType != null) ? kindOf(payloadType)
				: (messagePayloadType != null && messagePayloadType != Object.class) ? kindOf(messagePayloadType)
						: (messagePayloadType != null) ? PayloadKind.MESSAGE : PayloadKind.NONE;
		checkPartial(endpoint, kind, (payloadType != null) ? payloadType : messagePayloadType, booleans);
		WsListenerRoute route = route(endpoint, kind);
		return new WsListenerSignature(kind, (payloadType != null) ? payloadType : messagePayloadType, route,
				readsHeaders);
	}

	private static @Nullable WsListenerRoute route(WsListenerEndpoint endpoint, PayloadKind kind) {
		if (!endpoint.isRouted()) {
			return null;
		}
		if (!JACKSON_PRESENT) {
			throw invalid(endpoint, "uses match or payload, which read JSON, but Jackson is not on the class path",
					"Add tools.jackson.core:jackson-databind (spring-boot-starter-jackson), or remove match and "
							+ "payload.");
		}
		if (endpoint.partial()) {
			throw invalid(endpoint, "is declared with partial = true, but match and payload need the whole message",
					"Remove partial = true, or remove match and payload.");
		}
		if (kind == PayloadKind.BYTES || kind == PayloadKind.BYTE_BUFFER) {
			throw invalid(endpoint,
					"uses match or payload, which route JSON text messages, but takes binary " + "messages",
					"Declare the payload as String, WsMessage or a type converted from JSON.");
		}
		return WsListenerRoute.of(endpoint);
	}

	private static boolean isHeader(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class);
	}

	private static void checkPartial(WsListenerEndpoint endpoint, PayloadKind kind, @Nullable Class<?> payloadType,
			int booleans) {
		if (booleans > 1) {
			throw invalid(endpoint, "has more than one boolean parameter",
					"Declare a single 'boolean last' parameter, with partial = true.");
		}
		if (endpoint.partial() && booleans == 0) {
			throw invalid(endpoint,
					"is declared with partial = true but has no boolean parameter to tell whether "
							+ "a fragment is the last one",
					"Add a 'boolean last' parameter, or remove partial = true.");
		}
		if (endpoint.partial() && kind == PayloadKind.CONVERTED && payloadType != null) {
			throw invalid(endpoint,
					"is declared with partial = true, but a fragment cannot be converted to "
							+ payloadType.getSimpleName(),
					"Receive fragments as String, byte[], ByteBuffer or WsMessage, "
							+ "or remove partial = true to receive whole messages converted from JSON.");
		}
	}

	private static PayloadKind kindOf(@Nullable Class<?> payloadType) {
		if (payloadType == null) {
			return PayloadKind.NONE;
		}
		if (payloadType == String.class) {
			return PayloadKind.TEXT;
		}
		if (payloadType == byte[].class) {
			return PayloadKind.BYTES;
		}
		if (payloadType == ByteBuffer.class) {
			return PayloadKind.BYTE_BUFFER;
		}
		return (payloadType == WsMessage.class) ? PayloadKind.MESSAGE : PayloadKind.CONVERTED;
	}

	private static @Nullable String unsupportedReason(MethodParameter parameter) {
		for (Annotation annotation : parameter.getParameterAnnotations()) {
			Class<? extends Annotation> annotationType = annotation.annotationType();
			if (annotationType.getPackageName().startsWith("org.springframework.messaging")
					&& annotationType != Payload.class && annotationType != Header.class
					&& annotationType != Headers.class) {
				return "is annotated with @" + annotationType.getSimpleName() + " (not supported on @WsListener)";
			}
		}
		Payload payload = parameter.getParameterAnnotation(Payload.class);
		if (payload != null && !payload.expression().isEmpty()) {
			return "has @Payload with an expression (not supported on @WsListener; use @WsListener.payload)";
		}
		Class<?> type = parameter.getParameterType();
		if (type != WsClient.class && WsClient.class.isAssignableFrom(type)) {
			return "cannot be supplied; declare it as WsClient";
		}
		if (type != String.class && CharSequence.class.isAssignableFrom(type)) {
			return "cannot be supplied; use String for text messages";
		}
		if (InputStream.class.isAssignableFrom(type) || Reader.class.isAssignableFrom(type)) {
			return "cannot be supplied; use String, byte[] or ByteBuffer (with partial = true for fragments)";
		}
		return null;
	}

	private static WsListenerConfigurationException invalid(WsListenerEndpoint endpoint, String problem,
			String action) {
		return new WsListenerConfigurationException(endpoint.beanName(), endpoint.method(), problem, action);
	}

}
