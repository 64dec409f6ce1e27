package dev.wsboot.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.wsboot.transport.TransportFailures;

/**
 * The one masking function for everything shown outside the client: logs, health,
 * endpoint, events and exception messages.
 */
public final class WsSecrets {

	static final String MASK = TransportFailures.MASK;

	private WsSecrets() {
	}

	/**
	 * The URL without secrets: user-info and query string are replaced by a mask, the
	 * fragment is dropped.
	 * @param url the URL
	 * @return the masked URL as text
	 */
	public static String mask(URI url) {
		return TransportFailures.describe(url);
	}

	/**
	 * Header names with every value masked.
	 * @param headers the headers
	 * @return a map of the same names to a mask
	 */
	public static Map<String, String> mask(Map<String, ?> headers) {
		Map<String, String> masked = new LinkedHashMap<>();
		headers.keySet().forEach((name) -> masked.put(name, MASK));
		return masked;
	}

}
