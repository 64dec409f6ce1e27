package dev.wsboot.listener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.util.ClassUtils;

/**
 * The argument resolvers of {@code @WsListener} methods: the {@link WsClient}, the
 * {@code boolean last} flag, and the payload. They read a {@link WsInboundMessage}; the
 * {@link WsListenerSignature} has already checked that every parameter is one of these.
 */
final class WsListenerArgumentResolvers {

	private WsListenerArgumentResolvers() {
	}

	/**
	 * The resolvers, in the order to consult them.
	 * @param messageConverter the converter for payload types other than the pass-through
	 * ones
	 * @return the resolvers
	 */
	static List<HandlerMethodArgumentResolver> create(MessageConverter messageConverter) {
		return List.of(new ClientArgumentResolver(), new LastArgumentResolver(),
				new PayloadArgumentResolver(messageConverter));
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
	 * Resolves {@code boolean last}: whether a fragment ends its message.
	 */
	private static final class LastArgumentResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			Class<?> type = parameter.getParameterType();
			return type == boolean.class || type == Boolean.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			return inbound(message).isLast();
		}

	}

	/**
	 * Resolves the payload: {@code String}, {@code byte[]}, {@code ByteBuffer} and
	 * {@code WsMessage} as they are, anything else with the message converter (generic types
	 * through the parameter as conversion hint).
	 */
	private static final class PayloadArgumentResolver implements HandlerMethodArgumentResolver {

		private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
				WsListenerArgumentResolvers.class.getClassLoader());

		private final MessageConverter converter;

		/** The starter's JSON converter when it is the one in use (first in a composite). */
		private final @Nullable Object starterJson;

		private final Map<MethodParameter, WsJsonMessageConverter.PayloadReader> readers = new ConcurrentHashMap<>();

		PayloadArgumentResolver(MessageConverter converter) {
			this.converter = converter;
			this.starterJson = JACKSON_PRESENT ? StarterJson.find(converter) : null;
		}

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return WsListenerSignature.isPayload(parameter.getParameterType());
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			Class<?> type = parameter.getParameterType();
			if (WsListenerSignature.isPassThrough(type)) {
				return message.getPayload();
			}
			Object converted = convert(message, type, parameter);
			if (converted == null) {
				throw new MessageConversionException(message,
						"No converter could read " + inbound(message).source() + " as " + type.getName());
			}
			return converted;
		}

		private @Nullable Object convert(Message<?> message, Class<?> type, MethodParameter parameter) {
			if (this.starterJson != null) {
				WsJsonMessageConverter.PayloadReader reader = this.readers.get(parameter);
				if (reader == null) {
					reader = this.readers.computeIfAbsent(parameter, StarterJson.readers(this.starterJson));
				}
				return reader.read(message);
			}
			return (this.converter instanceof SmartMessageConverter smart) ? smart.fromMessage(message, type, parameter)
					: this.converter.fromMessage(message, type);
		}

	}

	/** Touches Jackson types only when Jackson is on the class path. */
	private static final class StarterJson {

		static @Nullable Object find(MessageConverter converter) {
			MessageConverter first = (converter instanceof CompositeMessageConverter composite
					&& !composite.getConverters().isEmpty()) ? composite.getConverters().get(0) : converter;
			return (first instanceof WsJsonMessageConverter json) ? json : null;
		}

		static Function<MethodParameter, WsJsonMessageConverter.PayloadReader> readers(Object converter) {
			return ((WsJsonMessageConverter) converter)::readerFor;
		}

	}

}
