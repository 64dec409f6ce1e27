package dev.wsboot.listener;

import java.lang.annotation.Annotation;
import java.util.List;

import dev.wsboot.client.WsClient;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

/**
 * The starter's own argument resolvers of {@code @WsListener} methods, consulted before
 * spring-messaging's defaults ({@code @Header}, {@code @Headers}, {@code Message<?>} and,
 * for every other parameter, {@code @Payload} with conversion and validation): the
 * {@link WsClient}, the {@code boolean last} flag (of {@code partial} listeners only: for
 * the others a {@code boolean} is the payload, converted like any other type), and
 * payloads passed as they are ({@code String}, {@code byte[]}, {@code ByteBuffer},
 * {@code WsMessage}, even when empty). They read a {@link WsInboundMessage}.
 */
final class WsListenerArgumentResolvers {

	private WsListenerArgumentResolvers() {
	}

	/**
	 * The resolvers, in the order to consult them.
	 * @param messageConverter the converter for a part selected by
	 * {@code @WsListener.payload} and given to a {@code String} parameter
	 * @param partial whether the resolvers are for {@code partial} listeners, whose
	 * unannotated {@code boolean} parameter is the last flag
	 * @return the resolvers
	 */
	static List<HandlerMethodArgumentResolver> create(MessageConverter messageConverter, boolean partial) {
		if (!partial) {
			return List.of(new ClientArgumentResolver(), new PassThroughArgumentResolver(messageConverter));
		}
		return List.of(new ClientArgumentResolver(), new LastArgumentResolver(),
				new PassThroughArgumentResolver(messageConverter));
	}

	private static WsInboundMessage inbound(Message<?> message) {
		return (WsInboundMessage) message;
	}

	/**
	 * Resolves the {@link WsClient} the message arrived on.
	 */
	private static final class ClientArgumentResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == WsClient.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			return inbound(message).client();
		}

	}

	/**
	 * Resolves {@code boolean last} of a {@code partial} listener: whether a fragment
	 * ends its message.
	 */
	private static final class LastArgumentResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return WsListenerSignature.isLast(parameter, true);
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			return inbound(message).isLast();
		}

	}

	/**
	 * Resolves {@code String}, {@code byte[]}, {@code ByteBuffer} and {@code WsMessage}
	 * payloads that are not validated: the payload as it is (spring-messaging's resolver
	 * would reject an empty one), or, for a part selected by {@code @WsListener.payload},
	 * converted.
	 */
	private static final class PassThroughArgumentResolver implements HandlerMethodArgumentResolver {

		private final MessageConverter converter;

		PassThroughArgumentResolver(MessageConverter converter) {
			this.converter = converter;
		}

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return WsListenerSignature.isPassThrough(parameter.getParameterType()) && !isValidated(parameter);
		}

		private static boolean isValidated(MethodParameter parameter) {
			for (Annotation annotation : parameter.getParameterAnnotations()) {
				if (ValidationAnnotationUtils.determineValidationHints(annotation) != null) {
					return true;
				}
			}
			return false;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			Class<?> type = parameter.getParameterType();
			Object payload = message.getPayload();
			if (type.isInstance(payload)) {
				return payload;
			}
			Object converted = (this.converter instanceof SmartMessageConverter smart)
					? smart.fromMessage(message, type, parameter) : this.converter.fromMessage(message, type);
			if (converted == null) {
				throw new MessageConversionException(message,
						"No converter could read " + inbound(message).source() + " as " + type.getName());
			}
			return converted;
		}

	}

}
