package dev.wsboot.transport.jdk;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.TransportFailures;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsHandshakeException;
import dev.wsboot.transport.WsProxy;
import dev.wsboot.transport.WsProxyException;

/**
 * Turns what the JDK's WebSocket client fails with into what the SPI promises: a
 * {@link WsHandshakeException} when the server answered, otherwise the I/O error; and a
 * close code for a connection that failed. Messages never contain the URL's user-info or
 * query string, nor header values.
 */
final class JdkFailures {

	static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

	static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

	/** How the JDK fails a tunnel the proxy refused with a status other than 407. */
	private static final Pattern TUNNEL_FAILED = Pattern.compile("Tunnel failed, got: (\\d{3})");

	private JdkFailures() {
	}

	/**
	 * The failure of a connect attempt, as the SPI reports it.
	 * @param failure what the JDK failed with
	 * @param request the request
	 * @return a {@link WsHandshakeException}, an {@link IOException}, or another
	 * exception whose message is safe to show
	 */
	static Throwable map(Throwable failure, WsConnectRequest request) {
		Throwable unwrapped = TransportFailures.unwrap(failure);
		if (unwrapped instanceof WsHandshakeException) {
			return unwrapped;
		}
		WebSocketHandshakeException handshake = TransportFailures.find(unwrapped, WebSocketHandshakeException.class);
		if (handshake != null && request.proxy() != null && handshake.getResponse().statusCode() == 407) {
			// the JDK hands the CONNECT's 407 over as the response when it did not
			// authenticate
			return WsProxyException.refused(request.proxy(), request.uri(), 407, authenticationHint(request.proxy()));
		}
		if (handshake != null) {
			return handshakeFailed(handshake, request);
		}
		URI uri = request.uri();
		WsProxy proxy = request.proxy();
		if (proxy != null) {
			Throwable refused = proxyFailed(unwrapped, proxy, request);
			if (refused != null) {
				return refused;
			}
		}
		if (unwrapped instanceof IOException io) {
			if (io.getMessage() != null && !io.getMessage().isBlank() && TransportFailures.isSafe(io, uri)) {
				return io;
			}
			String message = "Connecting to " + TransportFailures.describe(uri) + " failed: " + safeMessage(io, uri);
			IOException mapped = (io instanceof ConnectException) ? new ConnectException(message)
					: new IOException(message);
			return withCause(mapped, io, uri);
		}
		if (unwrapped instanceof IllegalArgumentException) {
			return TransportFailures.isSafe(unwrapped, uri) ? unwrapped : new IllegalArgumentException(
					"Cannot connect to " + TransportFailures.describe(uri) + ": " + safeMessage(unwrapped, uri));
		}
		return TransportFailures.isSafe(unwrapped, uri) ? unwrapped : new IOException(
				"Connecting to " + TransportFailures.describe(uri) + " failed: " + safeMessage(unwrapped, uri));
	}

	/**
	 * A failure of the tunnel through the proxy: the proxy refused {@code CONNECT},
	 * refused the credentials, or could not be reached.
	 * @return the exception to report, or {@code null} when the failure is not the
	 * proxy's
	 */
	private static @Nullable Throwable proxyFailed(Throwable failure, WsProxy proxy, WsConnectRequest request) {
		String message = (failure.getMessage() != null) ? failure.getMessage() : "";
		Matcher tunnel = TUNNEL_FAILED.matcher(message);
		if (failure instanceof IOException && tunnel.lookingAt()) {
			return WsProxyException.refused(proxy, request.uri(), Integer.parseInt(tunnel.group(1)), "");
		}
		if (failure instanceof IOException && message.startsWith("too many authentication attempts")) {
			return WsProxyException.refused(proxy, request.uri(), 407, "the proxy refused the credentials");
		}
		if (failure instanceof ConnectException) {
			return withCause(new ConnectException(
					"Connecting to proxy " + proxy.description() + " failed: " + safeMessage(failure, request.uri())),
					failure, request.uri());
		}
		return null;
	}

	private static String authenticationHint(WsProxy proxy) {
		if (!proxy.hasCredentials()) {
			return "put the credentials in the proxy URL's user-info (http://user:password@host:port)";
		}
		if (!ProxyAuthentication.basicThroughTunnels()) {
			return "the JDK does not send Basic credentials through tunnels unless the JVM runs with -D"
					+ ProxyAuthentication.TUNNELING_DISABLED_SCHEMES + "= (or use the tyrus transport)";
		}
		return "the proxy refused the credentials";
	}

	/**
	 * The server selected a subprotocol that was not offered.
	 * @param request the request
	 * @param subprotocol the selected subprotocol
	 * @return the exception
	 */
	static WsHandshakeException unofferedSubprotocol(WsConnectRequest request, String subprotocol) {
		return new WsHandshakeException(
				"Server at " + TransportFailures.describe(request.uri()) + " selected subprotocol '" + subprotocol
						+ "', which was not offered (offered: " + request.subprotocols() + ")",
				101, Map.of());
	}

	private static WsHandshakeException handshakeFailed(WebSocketHandshakeException failure, WsConnectRequest request) {
		HttpResponse<?> response = failure.getResponse();
		int status = response.statusCode();
		Map<String, List<String>> headers = lowerCaseNames(response.headers().map());
		String server = "Server at " + TransportFailures.describe(request.uri());
		if (status != 101) {
			return new WsHandshakeException(server + " refused the WebSocket handshake with HTTP " + status, status,
					headers);
		}
		List<String> selected = headers.getOrDefault(PROTOCOL_HEADER.toLowerCase(Locale.ROOT), List.of());
		if (!selected.isEmpty() && !request.subprotocols().containsAll(selected)) {
			WsHandshakeException unoffered = unofferedSubprotocol(request, String.join(", ", selected));
			return new WsHandshakeException(unoffered.getMessage(), status, headers);
		}
		List<String> extensions = headers.getOrDefault(EXTENSIONS_HEADER.toLowerCase(Locale.ROOT), List.of());
		if (!extensions.isEmpty()) {
			return new WsHandshakeException(server + " selected extensions " + extensions
					+ ", which were not offered (the jdk transport offers none)", status, headers);
		}
		return new WsHandshakeException(
				server + " sent an invalid WebSocket handshake response: " + checkMessage(failure.getCause()), status,
				headers);
	}

	/**
	 * The close code for a connection the JDK failed: 1002 (or 1007 for invalid UTF-8 in
	 * a text message or close reason) when it failed it for a protocol violation of the
	 * peer, 1006 when the connection broke. For a protocol violation the JDK queues a
	 * close frame with that code but closes the socket at the same time: the peer may or
	 * may not get it.
	 * @param error what the JDK reported to {@code Listener.onError}
	 * @return the close code
	 */
	static int closeCode(Throwable error) {
		if (!(error instanceof ProtocolException)) {
			return 1006;
		}
		return (TransportFailures.find(error, CharacterCodingException.class) != null) ? 1007 : 1002;
	}

	/**
	 * The first message in a failure's chain, with the URL shown without its secrets; the
	 * class names of the chain when none has a message, or when it cannot be shown.
	 * @param failure the failure
	 * @param uri the URL, whose secrets must not show
	 * @return the message to show
	 */
	static String safeMessage(Throwable failure, URI uri) {
		StringBuilder types = new StringBuilder();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (message != null && !message.isBlank()) {
				message = message.replace(uri.toString(), TransportFailures.describe(uri));
				if (TransportFailures.isSafe(message, uri)) {
					return message;
				}
			}
			types.append((types.length() > 0) ? ": " : "").append(current.getClass().getSimpleName());
			if (current.getCause() == current) {
				break;
			}
		}
		return types.toString();
	}

	/**
	 * The JDK's reason for refusing a 101 response. Its messages put response header
	 * values after a colon; those are dropped unless they are a single header name.
	 */
	private static String checkMessage(@Nullable Throwable check) {
		String message = (check != null) ? check.getMessage() : null;
		if (message == null) {
			return "unexpected response";
		}
		int colon = message.indexOf(": ");
		if (colon < 0) {
			return message;
		}
		String detail = message.substring(colon + 2);
		return detail.matches("[A-Za-z-]+") ? message : message.substring(0, colon);
	}

	private static Map<String, List<String>> lowerCaseNames(Map<String, List<String>> headers) {
		Map<String, List<String>> result = new LinkedHashMap<>();
		headers
			.forEach((name, values) -> result.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
				.addAll(values));
		result.replaceAll((name, values) -> List.copyOf(values));
		return result;
	}

	private static Throwable withCause(Throwable mapped, Throwable cause, URI uri) {
		if (TransportFailures.isSafe(cause, uri)) {
			mapped.initCause(cause);
		}
		return mapped;
	}

}
