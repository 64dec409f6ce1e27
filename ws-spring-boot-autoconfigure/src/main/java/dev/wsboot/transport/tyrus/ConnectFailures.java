package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import org.glassfish.tyrus.client.RedirectException;
import org.glassfish.tyrus.core.HandshakeException;

import dev.wsboot.transport.WsHandshakeException;

import static dev.wsboot.transport.TransportFailures.describe;
import static dev.wsboot.transport.TransportFailures.find;
import static dev.wsboot.transport.TransportFailures.isSafe;
import static dev.wsboot.transport.TransportFailures.unwrap;

/**
 * Turns what Tyrus fails a connect with into what the SPI promises: a
 * {@link WsHandshakeException} when the server answered, otherwise the underlying I/O
 * error. Messages never contain the URL's user-info or query string, nor header values.
 */
final class ConnectFailures {

	private ConnectFailures() {
	}

	/**
	 * The server answered the upgrade request with something other than 101.
	 * @param uri the URL
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @return the exception
	 */
	static WsHandshakeException refused(URI uri, int status, Map<String, java.util.List<String>> headers) {
		return new WsHandshakeException("Server at " + describe(uri) + " refused the WebSocket handshake with HTTP "
				+ status, status, headers);
	}

	/**
	 * The Tyrus failure of a connect attempt, as the SPI reports it.
	 * @param failure what Tyrus failed with
	 * @param uri the URL
	 * @return a {@link WsHandshakeException}, an {@link IOException} or the failure itself
	 */
	static Throwable map(Throwable failure, URI uri) {
		Throwable unwrapped = unwrap(failure);
		if (unwrapped instanceof WsHandshakeException) {
			return unwrapped;
		}
		HandshakeException handshake = find(unwrapped, HandshakeException.class);
		if (handshake != null) {
			int status = handshake.getHttpStatusCode();
			String what = (handshake instanceof RedirectException) ? " (redirects are not followed)" : "";
			return new WsHandshakeException("Server at " + describe(uri) + " failed the WebSocket handshake (HTTP "
					+ status + what + "): " + safeMessage(handshake, uri), status, Map.of());
		}
		IOException io = find(unwrapped, IOException.class);
		if (io != null && isSafe(io, uri)) {
			return io;
		}
		IOException wrapped = new IOException("Connecting to " + describe(uri) + " failed: " + safeMessage(unwrapped, uri));
		if (isSafe(unwrapped, uri)) {
			wrapped.initCause(unwrapped);
		}
		return wrapped;
	}

	/**
	 * Whether the failure means an HTTP response was received, which Tyrus reports before
	 * it shows the response (status and headers) to the configurator.
	 * @param failure what Tyrus failed with
	 * @return whether to wait for the response
	 */
	static boolean isResponseFailure(Throwable failure) {
		HandshakeException handshake = find(unwrap(failure), HandshakeException.class);
		return handshake != null && !(handshake instanceof RedirectException);
	}



	/**
	 * The failure's message, or its class name when the message shows the URL's secrets.
	 * @param failure the failure
	 * @param uri the URL
	 * @return the message to show
	 */
	static String safeMessage(Throwable failure, URI uri) {
		String message = failure.getMessage();
		if (message == null || !isSafe(message, uri)) {
			return failure.getClass().getSimpleName();
		}
		return message;
	}

}
