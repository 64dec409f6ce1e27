package dev.wsboot.transport;

import java.io.IOException;
import java.net.URI;

import org.springframework.util.Assert;

/**
 * The HTTP proxy refused to open a tunnel to the endpoint: it answered {@code CONNECT}
 * with a status other than 200, for example 407 (authentication required or credentials
 * refused), 403 (destination not allowed) or 502 (destination not reachable). The attempt
 * failed and is retried like any other; the message names the proxy without its
 * credentials, the destination and the status.
 */
public class WsProxyException extends IOException {

	private final String proxy;

	private final int status;

	/**
	 * Create a new exception.
	 * @param message what went wrong (without secrets)
	 * @param proxy the proxy, as it may be shown ({@link WsProxy#description()})
	 * @param status the status the proxy answered with
	 */
	public WsProxyException(String message, String proxy, int status) {
		super(message);
		this.proxy = proxy;
		this.status = status;
	}

	/**
	 * The exception for a proxy that answered {@code CONNECT} with the given status.
	 * @param proxy the proxy
	 * @param endpoint the endpoint the tunnel was for
	 * @param status the status
	 * @param hint what may help, appended to the message; empty for nothing
	 * @return the exception
	 */
	public static WsProxyException refused(WsProxy proxy, URI endpoint, int status, String hint) {
		Assert.notNull(proxy, "'proxy' must not be null");
		Assert.notNull(endpoint, "'endpoint' must not be null");
		String destination = endpoint.getHost() + ":" + port(endpoint);
		String message = "Proxy " + proxy.description() + " refused the tunnel to " + destination + " with HTTP "
				+ status + reasonPhrase(status) + (hint.isEmpty() ? "" : "; " + hint);
		return new WsProxyException(message, proxy.description(), status);
	}

	/**
	 * The proxy, as it may be shown ({@code http://******@host:port}).
	 * @return the masked proxy URL
	 */
	public String proxy() {
		return this.proxy;
	}

	/**
	 * The status the proxy answered {@code CONNECT} with.
	 * @return the HTTP status
	 */
	public int status() {
		return this.status;
	}

	private static int port(URI endpoint) {
		if (endpoint.getPort() != -1) {
			return endpoint.getPort();
		}
		return "wss".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
	}

	private static String reasonPhrase(int status) {
		return switch (status) {
			case 403 -> " (Forbidden: the proxy does not allow this destination)";
			case 407 -> " (Proxy Authentication Required: credentials missing or refused)";
			case 502 -> " (Bad Gateway: the proxy could not reach the destination)";
			case 503 -> " (Service Unavailable)";
			case 504 -> " (Gateway Timeout: the proxy could not reach the destination in time)";
			default -> "";
		};
	}

}
