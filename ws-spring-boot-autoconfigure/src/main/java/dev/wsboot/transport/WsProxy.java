package dev.wsboot.transport;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The HTTP proxy one connection goes through: the transport asks it with {@code CONNECT}
 * for a tunnel to the endpoint's host and port, then runs TLS (for {@code wss://}) and
 * the WebSocket handshake inside the tunnel. Credentials, from the proxy URL's user-info,
 * are offered as Basic {@code Proxy-Authorization} to the proxy only; {@link #toString()}
 * and {@link #description()} never show them.
 *
 * @param host the proxy's host name or address
 * @param port the proxy's port
 * @param username the user for Basic proxy authentication, or {@code null} for none
 * @param password the password for Basic proxy authentication, or {@code null} for none
 */
public record WsProxy(String host, int port, @Nullable String username, @Nullable String password) {

	/** The port of an {@code http://} proxy URL without one. */
	public static final int DEFAULT_PORT = 80;

	public WsProxy {
		Assert.hasText(host, "'host' must not be empty");
		Assert.isTrue(port > 0 && port <= 65535, "'port' must be from 1 to 65535");
		Assert.isTrue((username == null) == (password == null), "'username' and 'password' go together");
	}

	/**
	 * The proxy of an {@code http://[user:password@]host[:port]} URL; user and password
	 * are percent-decoded.
	 * @param url the proxy URL
	 * @return the proxy
	 * @throws IllegalArgumentException when the URL's scheme is not {@code http} or it
	 * has no host (the message does not show the URL's user-info)
	 */
	public static WsProxy of(URI url) {
		Assert.notNull(url, "'url' must not be null");
		if (url.getScheme() == null || !url.getScheme().equalsIgnoreCase("http")) {
			throw new IllegalArgumentException("The proxy URL " + TransportFailures.describe(url)
					+ " must start with http:// (only HTTP proxies with CONNECT are supported)");
		}
		if (url.getHost() == null || url.getHost().isEmpty()) {
			throw new IllegalArgumentException("The proxy URL " + TransportFailures.describe(url) + " has no host");
		}
		String host = url.getHost();
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port = (url.getPort() != -1) ? url.getPort() : DEFAULT_PORT;
		String userInfo = url.getRawUserInfo();
		if (userInfo == null) {
			return new WsProxy(host, port, null, null);
		}
		int colon = userInfo.indexOf(':');
		return (colon < 0) ? new WsProxy(host, port, decode(userInfo), "")
				: new WsProxy(host, port, decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)));
	}

	private static String decode(String text) {
		return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	/**
	 * The HTTP proxy a {@link ProxySelector} picks for a WebSocket endpoint, asked as the
	 * JDK's own WebSocket client does: {@code ws://} as {@code http://}, {@code wss://}
	 * as {@code https://} (so {@code https.proxyHost}, {@code http.proxyHost} and
	 * {@code http.nonProxyHosts} apply to the default selector).
	 * @param endpoint the {@code ws://} or {@code wss://} endpoint
	 * @param selector the selector, or {@code null} for none
	 * @return the first HTTP proxy the selector names, or {@code null} for a direct
	 * connection
	 */
	public static @Nullable WsProxy select(URI endpoint, @Nullable ProxySelector selector) {
		Assert.notNull(endpoint, "'endpoint' must not be null");
		if (selector == null || endpoint.getHost() == null) {
			return null;
		}
		String scheme = "wss".equalsIgnoreCase(endpoint.getScheme()) ? "https" : "http";
		List<Proxy> proxies;
		try {
			proxies = selector.select(new URI(scheme, null, endpoint.getHost(), endpoint.getPort(), "/", null, null));
		}
		catch (URISyntaxException | RuntimeException ex) {
			return null;
		}
		if (proxies == null) {
			return null;
		}
		for (Proxy proxy : proxies) {
			if (proxy.type() == Proxy.Type.DIRECT) {
				return null;
			}
			if (proxy.type() == Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress address) {
				return new WsProxy(address.getHostString(), address.getPort(), null, null);
			}
		}
		return null;
	}

	/**
	 * Whether Basic proxy credentials are configured.
	 * @return whether there are credentials
	 */
	public boolean hasCredentials() {
		return this.username != null;
	}

	/**
	 * The proxy's address, unresolved (resolved when connecting).
	 * @return the address
	 */
	public InetSocketAddress address() {
		return InetSocketAddress.createUnresolved(this.host, this.port);
	}

	/**
	 * The proxy URL without credentials, {@code http://host:port}.
	 * @return the URL
	 */
	public URI uri() {
		String host = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return URI.create("http://" + host + ":" + this.port);
	}

	/**
	 * The value of the {@code Proxy-Authorization} header for Basic authentication.
	 * @return the header value, or {@code null} without credentials
	 */
	public @Nullable String basicAuthorization() {
		if (this.username == null) {
			return null;
		}
		String credentials = this.username + ":" + this.password;
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The proxy as it may be shown in logs, health, endpoints and exception messages:
	 * {@code http://******@host:port} with credentials, {@code http://host:port} without.
	 * @return the masked proxy URL
	 */
	public String description() {
		String url = uri().toString();
		return hasCredentials() ? url.replace("http://", "http://" + TransportFailures.MASK + "@") : url;
	}

	@Override
	public String toString() {
		return "WsProxy[" + description() + "]";
	}

}
