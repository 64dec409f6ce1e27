package dev.wsboot.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * The JSON routing of one listener, compiled when it is registered: the
 * {@code <JSON Pointer>=<value>} conditions of {@code @WsListener.match} and the pointer
 * of {@code @WsListener.payload}. Reads the message's parsed tree; parses nothing itself.
 */
final class WsListenerRoute {

	private final JsonPointer[] pointers;

	private final String[] values;

	private final List<String> pointerTexts;

	private final JsonPointer payload;

	private WsListenerRoute(List<JsonPointer> pointers, List<String> values, JsonPointer payload) {
		this.pointers = pointers.toArray(new JsonPointer[0]);
		this.values = values.toArray(new String[0]);
		this.pointerTexts = pointers.stream().map(JsonPointer::toString).toList();
		this.payload = payload;
	}

	/**
	 * Compile an endpoint's {@code match} and {@code payload}.
	 * @param endpoint the endpoint
	 * @return the route
	 * @throws WsListenerConfigurationException for a condition or pointer that is not
	 * valid
	 */
	static WsListenerRoute of(WsListenerEndpoint endpoint) {
		List<JsonPointer> pointers = new ArrayList<>();
		List<String> values = new ArrayList<>();
		for (String condition : endpoint.match()) {
			int equals = condition.indexOf('=');
			if (equals <= 0) {
				throw invalid(endpoint, "has match entry '" + condition + "', which is not <JSON Pointer>=<value>",
						"Write each match entry as a JSON Pointer, '=' and the expected value, for example "
								+ "match = {\"/op=0\", \"/t=MESSAGE_CREATE\"}.");
			}
			pointers.add(pointer(endpoint, "match", condition.substring(0, equals)));
			values.add(condition.substring(equals + 1));
		}
		JsonPointer payload = endpoint.payload().isEmpty() ? JsonPointer.empty()
				: pointer(endpoint, "payload", endpoint.payload());
		return new WsListenerRoute(pointers, values, payload);
	}

	private static JsonPointer pointer(WsListenerEndpoint endpoint, String attribute, String pointer) {
		try {
			return JsonPointer.compile(pointer);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(endpoint,
					"has " + attribute + " pointer '" + pointer + "', which is not a JSON Pointer (" + ex.getMessage()
							+ ")",
					"Use a JSON Pointer (RFC 6901) starting with '/', such as \"/d\" or \"/data/items/0\".");
		}
	}

	private static WsListenerConfigurationException invalid(WsListenerEndpoint endpoint, String problem,
			String action) {
		return new WsListenerConfigurationException(endpoint.beanName(), endpoint.method(), problem, action);
	}

	/**
	 * Whether every condition holds.
	 * @param tree the message's parsed JSON
	 * @return whether the message reaches the listener
	 */
	boolean matches(Object tree) {
		JsonNode root = (JsonNode) tree;
		for (int i = 0; i < this.pointers.length; i++) {
			JsonNode node = root.at(this.pointers[i]);
			if (node.isMissingNode() || !this.values[i].equals(text(node))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether {@code payload} selects a part of the message rather than all of it.
	 * @return whether a payload pointer is set
	 */
	boolean selectsPart() {
		return !this.payload.matches();
	}

	/**
	 * The part converted to the payload parameter.
	 * @param tree the message's parsed JSON
	 * @return the node at the payload pointer, JSON {@code null} when it is missing
	 */
	Object payload(Object tree) {
		JsonNode node = ((JsonNode) tree).at(this.payload);
		return node.isMissingNode() ? NullNode.getInstance() : node;
	}

	/**
	 * The values of the matched pointers, by pointer, as compared.
	 * @param tree the message's parsed JSON
	 * @return the values, in declaration order
	 */
	Map<String, Object> matchedValues(Object tree) {
		Map<String, Object> matched = new LinkedHashMap<>();
		for (int i = 0; i < this.pointers.length; i++) {
			matched.put(this.pointerTexts.get(i), text(((JsonNode) tree).at(this.pointers[i])));
		}
		return matched;
	}

	/**
	 * The text a {@code match} value is compared with: a string's content, JSON for
	 * anything else ({@code 0}, {@code true}, {@code null}, {@code {"a":1}}).
	 * @param node a present node
	 * @return its text
	 */
	static String text(JsonNode node) {
		return node.isString() ? node.stringValue() : node.toString();
	}

}
