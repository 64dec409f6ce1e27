package dev.wsboot.test;

import java.util.List;
import java.util.Map;

/**
 * An HTTP upgrade request received by a {@link WsTestServer}, recorded for every
 * handshake attempt, whether it was then accepted or refused.
 *
 * @param path the request path, without the query (e.g. {@code /feed})
 * @param query the raw query string without the {@code ?}, or {@code null} when there was
 * none
 * @param headers the request headers; the map looks names up case-insensitively and keeps
 * every value of repeated headers, in order
 * @param subprotocols the subprotocols offered in {@code Sec-WebSocket-Protocol}, in
 * order
 * @param extensions the extension offers of {@code Sec-WebSocket-Extensions}, one raw
 * entry each (e.g. {@code permessage-deflate; client_max_window_bits})
 */
public record WsTestHandshake(String path, String query, Map<String, List<String>> headers, List<String> subprotocols,
		List<String> extensions) {

	/**
	 * The value of a request header, looked up case-insensitively; the values of a
	 * repeated header are joined with {@code ", "}.
	 * @param name the header name
	 * @return the value, or {@code null} when the request did not have that header
	 */
	public String header(String name) {
		List<String> values = this.headers.get(name);
		if (values == null) {
			for (Map.Entry<String, List<String>> entry : this.headers.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(name)) {
					values = entry.getValue();
					break;
				}
			}
		}
		return (values != null) ? String.join(", ", values) : null;
	}

	/**
	 * Whether the client offered an extension with the given name (e.g.
	 * {@code permessage-deflate}), ignoring its parameters.
	 * @param name the extension name
	 * @return whether an offer for that extension was made
	 */
	public boolean offersExtension(String name) {
		for (String offer : this.extensions) {
			int semicolon = offer.indexOf(';');
			String offered = (semicolon >= 0) ? offer.substring(0, semicolon) : offer;
			if (offered.trim().equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

}
