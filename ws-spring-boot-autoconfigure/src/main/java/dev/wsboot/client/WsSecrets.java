package dev.wsboot.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one masking function for everything shown outside the client: logs, health,
 * endpoint, events and exception messages.
 */
public final class WsSecrets {

	static final String MASK = "******";

	private WsSecrets() {
	}

	/**
	 * The URL without secrets: user-info and query string are replaced by a mask, the
	 * fragment is dropped.
	 * @param url the URL
	 * @return the masked URL as text
	 */
	public static String mask(URI url) {
		StringBuilder masked = new StringBuilder();
		if (url.getScheme() != null) {
			masked.append(url.getScheme()).append("://");
		}
		if (url.getRawUserInfo() != null) {
			masked.append(MASK).append('@');
		}
		if (url.getHost() != null) {
			masked.append(url.getHost());
		}
		if (url.getPort() != -1) {
			masked.append(':').append(url.getPort());
		}
		if (url.getRawPath() != null) {
			masked.append(url.getRawPath());
		}
		if (url.getRawQuery() != null) {
			masked.append('?').append(MASK);
		}
		return masked.toString();
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
