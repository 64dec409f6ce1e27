package dev.wsboot.listener;

import java.util.function.Function;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Parses text messages into the JSON tree their listeners share. Touches Jackson types
 * only when Jackson is on the class path.
 */
final class JsonTrees {

	private JsonTrees() {
	}

	/**
	 * The parser for a message converter: the mapper of the starter's JSON converter when
	 * it is in use, else Jackson's shared default mapper.
	 * @param converter the listeners' message converter
	 * @return parses a text into a {@code JsonNode}
	 */
	static Function<String, ?> parser(MessageConverter converter) {
		JsonMapper mapper = null;
		if (converter instanceof CompositeMessageConverter composite) {
			for (MessageConverter candidate : composite.getConverters()) {
				if (candidate instanceof WsJsonMessageConverter json) {
					mapper = json.jsonMapper();
					break;
				}
			}
		}
		else if (converter instanceof WsJsonMessageConverter json) {
			mapper = json.jsonMapper();
		}
		JsonMapper parser = (mapper != null) ? mapper : JsonMapper.shared();
		return parser::readTree;
	}

}
