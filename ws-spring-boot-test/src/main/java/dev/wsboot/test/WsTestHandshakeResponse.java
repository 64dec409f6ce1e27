package dev.wsboot.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a {@link WsTestServer} answers one handshake, as returned by the function given to
 * {@link WsTestServer#handshake(java.util.function.Function)}. Instances are immutable:
 * each {@code with...} method returns a new response.
 * <p>
 * Nothing is validated against the client's offer, so tests can make the server
 * misbehave, for example by selecting a subprotocol the client never offered.
 */
public final class WsTestHandshakeResponse {

	private static final WsTestHandshakeResponse ACCEPT = new WsTestHandshakeResponse(101, List.of(), null, List.of(),
			false, false);

	private final int status;

	private final List<Map.Entry<String, String>> headers;

	private final String subprotocol;

	private final List<String> extensions;

	private final boolean permessageDeflate;

	private final boolean drop;

	private WsTestHandshakeResponse(int status, List<Map.Entry<String, String>> headers, String subprotocol,
			List<String> extensions, boolean permessageDeflate, boolean drop) {
		this.status = status;
		this.headers = headers;
		this.subprotocol = subprotocol;
		this.extensions = extensions;
		this.permessageDeflate = permessageDeflate;
		this.drop = drop;
	}

	/**
	 * Accept the upgrade ({@code 101 Switching Protocols}), selecting no subprotocol and
	 * no extension.
	 * @return the response
	 */
	public static WsTestHandshakeResponse accept() {
		return ACCEPT;
	}

	/**
	 * Refuse the upgrade: the server writes the status line, the headers added with
	 * {@link #withHeader(String, String)} and {@code Content-Length: 0}, then closes the
	 * connection.
	 * @param status the HTTP status, e.g. {@code 503}; anything but {@code 101}
	 * @return the response
	 */
	public static WsTestHandshakeResponse refuse(int status) {
		if (status == 101 || status < 100 || status > 999) {
			throw new IllegalArgumentException("Invalid refusal status " + status);
		}
		return new WsTestHandshakeResponse(status, List.of(), null, List.of(), false, false);
	}

	/**
	 * Close the TCP connection without writing any HTTP response.
	 * @return the response
	 */
	public static WsTestHandshakeResponse drop() {
		return new WsTestHandshakeResponse(0, List.of(), null, List.of(), false, true);
	}

	/**
	 * Add a response header (may be repeated).
	 * @param name the header name
	 * @param value the header value
	 * @return a new response with the header added
	 */
	public WsTestHandshakeResponse withHeader(String name, String value) {
		List<Map.Entry<String, String>> headers = new ArrayList<>(this.headers);
		headers.add(Map.entry(name, value));
		return new WsTestHandshakeResponse(this.status, List.copyOf(headers), this.subprotocol, this.extensions,
				this.permessageDeflate, this.drop);
	}

	/**
	 * Select a subprotocol ({@code Sec-WebSocket-Protocol}), whether the client offered
	 * it or not.
	 * @param subprotocol the subprotocol
	 * @return a new response selecting it
	 */
	public WsTestHandshakeResponse withSubprotocol(String subprotocol) {
		return new WsTestHandshakeResponse(this.status, this.headers, subprotocol, this.extensions,
				this.permessageDeflate, this.drop);
	}

	/**
	 * Add a raw {@code Sec-WebSocket-Extensions} entry, whether the client offered it or
	 * not. This only affects the header: the server does not implement the extension (use
	 * {@link #withPermessageDeflate()} for a working compression).
	 * @param extension the raw header value, e.g. {@code permessage-deflate}
	 * @return a new response selecting it
	 */
	public WsTestHandshakeResponse withExtension(String extension) {
		List<String> extensions = new ArrayList<>(this.extensions);
		extensions.add(extension);
		return new WsTestHandshakeResponse(this.status, this.headers, this.subprotocol, List.copyOf(extensions),
				this.permessageDeflate, this.drop);
	}

	/**
	 * Accept permessage-deflate (RFC 7692) with {@code server_no_context_takeover} and
	 * {@code client_no_context_takeover}: inbound frames with RSV1 are inflated before
	 * being recorded as messages, and {@code sendText}/{@code sendBinary} compress.
	 * @return a new response selecting permessage-deflate
	 */
	public WsTestHandshakeResponse withPermessageDeflate() {
		List<String> extensions = new ArrayList<>(this.extensions);
		extensions.add(PerMessageDeflate.RESPONSE_EXTENSION);
		return new WsTestHandshakeResponse(this.status, this.headers, this.subprotocol, List.copyOf(extensions), true,
				this.drop);
	}

	int status() {
		return this.status;
	}

	boolean isAccepted() {
		return this.status == 101 && !this.drop;
	}

	boolean isDrop() {
		return this.drop;
	}

	List<Map.Entry<String, String>> headers() {
		return this.headers;
	}

	String subprotocol() {
		return this.subprotocol;
	}

	List<String> extensions() {
		return this.extensions;
	}

	boolean permessageDeflate() {
		return this.permessageDeflate;
	}

	@Override
	public String toString() {
		if (this.drop) {
			return "drop";
		}
		return this.status + " headers=" + this.headers + " subprotocol=" + this.subprotocol + " extensions="
				+ this.extensions;
	}

}
