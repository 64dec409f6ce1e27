package dev.wsboot.listener;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;

/**
 * The starter's JSON converter for {@code @WsListener} payloads, request replies and
 * {@code sendObject}: Jackson 3 with the context's {@code JsonMapper}, not strict about
 * content types (WebSocket messages have none), serializing to text.
 * <p>
 * Besides text and bytes it reads a payload that is an already parsed {@link JsonNode}
 * (the part of a message selected by {@code @WsListener.payload}, or the message's shared
 * parse) directly from the tree, without writing it back to text. Generic target types
 * (such as {@code Envelope<Ready>}) are resolved from the method parameter given as
 * conversion hint, once per parameter: the {@code ObjectReader} for it is kept, so a
 * message costs one map lookup and the read.
 */
public final class WsJsonMessageConverter extends JacksonJsonMessageConverter {

	/** Readers by target type and view: resolving a parameter's type is not free. */
	private final Map<Object, ObjectReader> readers = new ConcurrentHashMap<>();

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
	 * The mapper this converter reads with, for parsing messages into trees.
	 * @return the mapper
	 */
	JsonMapper jsonMapper() {
		return getJsonMapper();
	}

	@Override
	protected @Nullable Object convertFromInternal(Message<?> message, Class<?> targetClass,
			@Nullable Object conversionHint) {
		Object payload = message.getPayload();
		if (payload instanceof JsonNode node && targetClass == String.class && !node.isString()) {
			// the selected part as JSON text
			return node.toString();
		}
		try {
			ObjectReader reader = reader(targetClass, conversionHint);
			if (payload instanceof JsonNode node) {
				return reader.readValue(node);
			}
			return (payload instanceof byte[] bytes) ? reader.readValue(bytes) : reader.readValue(payload.toString());
		}
		catch (JacksonException ex) {
			throw new MessageConversionException(message, "Could not read JSON: " + ex.getMessage(), ex);
		}
	}

	private ObjectReader reader(Class<?> targetClass, @Nullable Object conversionHint) {
		Object key = (conversionHint instanceof MethodParameter parameter) ? parameter : targetClass;
		ObjectReader reader = this.readers.get(key);
		if (reader == null) {
			reader = this.readers.computeIfAbsent(key, (ignored) -> {
				JsonMapper mapper = getJsonMapper();
				Class<?> view = getSerializationView(conversionHint);
				JavaType type = mapper.constructType(
						(conversionHint instanceof MethodParameter parameter) ? resolvedType(parameter) : targetClass);
				return ((view != null) ? mapper.readerWithView(view) : mapper.reader()).forType(type);
			});
		}
		return reader;
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

}
