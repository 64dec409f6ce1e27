package dev.wsboot.transport.jdk;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks extra handshake headers against the rules of the JDK's WebSocket client before
 * it sees them: the JDK would fail with a message that shows an invalid header's value,
 * and header values are secrets. Messages name the header, never its value.
 */
final class HandshakeHeaders {

	/** The JDK's {@code jdk.httpclient.allowRestrictedHeaders} system property. */
	static final String ALLOW_RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

	private static final String SEC_WEBSOCKET_PREFIX = "sec-websocket-";

	private static final List<String> RESTRICTED = List.of("connection", "content-length", "expect", "host", "upgrade");

	private HandshakeHeaders() {
	}

	/**
	 * Check the names and values of extra handshake headers.
	 * @param headers the headers of a connect request
	 * @throws IllegalArgumentException naming the first header the JDK client would
	 * refuse
	 */
	static void check(Map<String, List<String>> headers) {
		Set<String> restricted = restricted();
		for (Map.Entry<String, List<String>> header : headers.entrySet()) {
			String name = header.getKey();
			if (!isToken(name)) {
				throw new IllegalArgumentException(
						"Handshake header name '" + printable(name) + "' is not a valid HTTP header name");
			}
			if (restricted.contains(name) || name.toLowerCase(Locale.ROOT).startsWith(SEC_WEBSOCKET_PREFIX)) {
				throw new IllegalArgumentException("Handshake header '" + name + "' cannot be set with the jdk"
						+ " transport: the JDK's WebSocket client sets it itself (use 'subprotocols' for"
						+ " Sec-WebSocket-Protocol) or refuses it");
			}
			for (String value : header.getValue()) {
				if (!isFieldValue(value)) {
					throw new IllegalArgumentException("The value of handshake header '" + name
							+ "' is not a valid HTTP header value: it contains a line break, a control character"
							+ " or a character beyond ISO-8859-1");
				}
			}
		}
	}

	private static Set<String> restricted() {
		Set<String> restricted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		restricted.addAll(RESTRICTED);
		String allowed = System.getProperty(ALLOW_RESTRICTED_HEADERS);
		if (allowed != null) {
			for (String name : allowed.split(",")) {
				restricted.remove(name.trim());
			}
		}
		return restricted;
	}

	/** An RFC 7230 token, as the JDK checks it. */
	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	/** An RFC 7230 field value without obsolete line folding, as the JDK checks it. */
	private static boolean isFieldValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c > 0xFF || c == 0x7F || (c < 0x21 && c != ' ' && c != '\t')) {
				return false;
			}
		}
		return true;
	}

	private static String printable(String name) {
		StringBuilder printable = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			printable.append((c >= 0x20 && c < 0x7F) ? c : '?');
		}
		return printable.toString();
	}

}
