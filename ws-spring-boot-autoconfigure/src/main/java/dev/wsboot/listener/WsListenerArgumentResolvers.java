package dev.wsboot.listener;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

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

		private final MessageConverter converter;

		PayloadArgumentResolver(MessageConverter converter) {
			this.converter = converter;
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
			return (this.converter instanceof SmartMessageConverter smart) ? smart.fromMessage(message, type, parameter)
					: this.converter.fromMessage(message, type);
		}

	}

}
