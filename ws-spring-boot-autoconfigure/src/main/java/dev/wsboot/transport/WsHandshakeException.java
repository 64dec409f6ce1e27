package dev.wsboot.transport;

import java.util.List;
import java.util.Map;

/**
 * The server refused or botched the opening handshake: an HTTP status other than 101, or
 * a response that selected a subprotocol or extension that was not offered.
 */
public class WsHandshakeException extends RuntimeException {

	private final int status;

	private final Map<String, List<String>> responseHeaders;

	/**
	 * Create a new exception.
	 * @param message what went wrong (without secrets)
	 * @param status the HTTP status of the response, or {@code -1} when unknown
	 * @param responseHeaders the response headers, empty when unknown
	 */
	public WsHandshakeException(String message, int status, Map<String, List<String>> responseHeaders) {
		super(message);
		this.status = status;
		this.responseHeaders = Map.copyOf(responseHeaders);
	}

	/**
	 * The HTTP status the server answered with.
	 * @return the status, or {@code -1} when unknown
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The handshake response's headers (for example {@code Retry-After}).
	 * @return the headers, empty when unknown
	 */
	public Map<String, List<String>> responseHeaders() {
		return this.responseHeaders;
	}

}
