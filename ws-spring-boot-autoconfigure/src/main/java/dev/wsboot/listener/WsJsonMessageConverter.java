package dev.wsboot.listener;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;

/**
 * The starter's JSON converter for {@code @WsListener} payloads and replies: Jackson 3 with
 * the context's {@code JsonMapper}, not strict about content types (WebSocket messages
 * have none), serializing to text.
 * <p>
 * Infrastructure, not API: when it is the converter in use, listeners read payloads with an
 * {@link ObjectReader} built once per listener parameter instead of resolving the target type
 * for every message; a converter of the application's own goes through
 * {@link #fromMessage(Message, Class, Object)} as usual.
 */
public final class WsJsonMessageConverter extends JacksonJsonMessageConverter {

	/**
	 * Create the converter.
	 * @param jsonMapper the mapper to read and write with
	 */
	public WsJsonMessageConverter(JsonMapper jsonMapper) {
		super(jsonMapper);
		setSerializedPayloadClass(String.class);
		setStrictContentTypeMatch(false);
	}

	/**
	 * What {@link #fromMessage(Message, Class, Object)} would do for this parameter, with the
	 * target type and view resolved now.
	 * @param parameter the listener's payload parameter
	 * @return reads a message's payload as the parameter's type
	 */
	PayloadReader readerFor(MethodParameter parameter) {
		JsonMapper mapper = getJsonMapper();
		Class<?> view = getSerializationView(parameter);
		ObjectReader reader = ((view != null) ? mapper.readerWithView(view) : mapper.reader())
			.forType(mapper.constructType(resolvedType(parameter)));
		return (message) -> {
			Object payload = message.getPayload();
			try {
				return (payload instanceof byte[] bytes) ? reader.readValue(bytes) : reader.readValue(payload.toString());
			}
			catch (JacksonException ex) {
				throw new MessageConversionException(message, "Could not read JSON: " + ex.getMessage(), ex);
			}
		};
	}

	/** As {@code AbstractMessageConverter.getResolvedType} does for a parameter hint. */
	private static Type resolvedType(MethodParameter parameter) {
		MethodParameter nested = parameter.nestedIfOptional();
		if (Message.class.isAssignableFrom(nested.getParameterType())) {
			nested = nested.nested();
		}
		Type type = nested.getNestedGenericParameterType();
		return GenericTypeResolver.resolveType(type, nested.getContainingClass());
	}

	/** Reads one message's payload. */
	@FunctionalInterface
	interface PayloadReader {

		@Nullable Object read(Message<?> message);

	}

}
