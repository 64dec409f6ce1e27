package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.glassfish.tyrus.client.RedirectException;
import org.glassfish.tyrus.core.HandshakeException;

import dev.wsboot.transport.TransportFailures;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsHandshakeException;
import dev.wsboot.transport.WsProxy;
import dev.wsboot.transport.WsProxyException;

/**
 * Turns what Tyrus fails a connect with into what the SPI promises: a
 * {@link WsHandshakeException} when the server answered, otherwise the underlying I/O
 * error. Messages never contain the URL's user-info or query string, nor header values.
 */
final class ConnectFailures {

	private static final Pattern PROXY_ERROR = Pattern.compile("Proxy error\\. (\\d{3})");

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
		return new WsHandshakeException(
				"Server at " + TransportFailures.describe(uri) + " refused the WebSocket handshake with HTTP " + status,
				status, headers);
	}

	/**
	 * The Tyrus failure of a connect attempt, as the SPI reports it, with a proxy's
	 * refusal to open the tunnel as a {@link WsProxyException}.
	 * @param failure what Tyrus failed with
	 * @param request the request
	 * @return a {@link WsProxyException}, a {@link WsHandshakeException}, an
	 * {@link IOException} or the failure itself
	 */
	static Throwable map(Throwable failure, WsConnectRequest request) {
		WsProxy proxy = request.proxy();
		if (proxy == null) {
			return map(failure, request.uri());
		}
		// Tyrus's Grizzly container fails with "Proxy error. <status>: <reason>"
		IOException io = TransportFailures.find(TransportFailures.unwrap(failure), IOException.class);
		Matcher refused = PROXY_ERROR.matcher((io != null && io.getMessage() != null) ? io.getMessage() : "");
		if (refused.lookingAt()) {
			return WsProxyException.refused(proxy, request.uri(), Integer.parseInt(refused.group(1)), "");
		}
		Throwable mapped = map(failure, request.uri());
		if (mapped instanceof ConnectException) {
			return new ConnectException(
					"Connecting to proxy " + proxy.description() + " failed: " + safeMessage(mapped, request.uri()));
		}
		return mapped;
	}

	/**
	 * Whether Tyrus's Grizzly container failed a connect because the proxy refused the
	 * tunnel.
	 * @param failure what the container reported
	 * @return whether it is the proxy's refusal
	 */
	static boolean isProxyRefusal(Throwable failure) {
		return failure instanceof IOException && failure.getMessage() != null
				&& PROXY_ERROR.matcher(failure.getMessage()).lookingAt();
	}

	/**
	 * The Tyrus failure of a connect attempt, as the SPI reports it.
	 * @param failure what Tyrus failed with
	 * @param uri the URL
	 * @return a {@link WsHandshakeException}, an {@link IOException} or the failure
	 * itself
	 */
	static Throwable map(Throwable failure, URI uri) {
		Throwable unwrapped = TransportFailures.unwrap(failure);
		if (unwrapped instanceof WsHandshakeException) {
			return unwrapped;
		}
		HandshakeException handshake = TransportFailures.find(unwrapped, HandshakeException.class);
		if (handshake != null) {
			int status = handshake.getHttpStatusCode();
			String what = (handshake instanceof RedirectException) ? " (redirects are not followed)" : "";
			return new WsHandshakeException("Server at " + TransportFailures.describe(uri)
					+ " failed the WebSocket handshake (HTTP " + status + what + "): " + safeMessage(handshake, uri),
					status, Map.of());
		}
		IOException io = TransportFailures.find(unwrapped, IOException.class);
		if (io != null && TransportFailures.isSafe(io, uri)) {
			return io;
		}
		IOException wrapped = new IOException(
				"Connecting to " + TransportFailures.describe(uri) + " failed: " + safeMessage(unwrapped, uri));
		if (TransportFailures.isSafe(unwrapped, uri)) {
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
		HandshakeException handshake = TransportFailures.find(TransportFailures.unwrap(failure),
				HandshakeException.class);
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
		if (message == null || !TransportFailures.isSafe(message, uri)) {
			return failure.getClass().getSimpleName();
		}
		return message;
	}

}
