package dev.wsboot.transport;

import java.net.ProxySelector;
import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How a client picks the proxy of each connection attempt: a fixed proxy
 * ({@code proxy.url}), the JVM's {@link ProxySelector#getDefault() ProxySelector}
 * ({@code proxy.use-system}), or none. The choice is made per attempt, so changes of the
 * JVM's proxy settings apply to the next attempt.
 *
 * @param proxy the fixed proxy, or {@code null}
 * @param useSystem whether to ask the JVM's default {@link ProxySelector} when there is
 * no fixed proxy
 */
public record WsProxySettings(@Nullable WsProxy proxy, boolean useSystem) {

	/** No proxy: connections go directly to the endpoint. */
	public static final WsProxySettings NONE = new WsProxySettings(null, false);

	/**
	 * A fixed proxy.
	 * @param proxy the proxy
	 * @return the settings
	 */
	public static WsProxySettings of(WsProxy proxy) {
		Assert.notNull(proxy, "'proxy' must not be null");
		return new WsProxySettings(proxy, false);
	}

	/**
	 * The proxy for a connection to the given endpoint.
	 * @param endpoint the {@code ws://} or {@code wss://} endpoint
	 * @return the proxy, or {@code null} to connect directly
	 */
	public @Nullable WsProxy select(URI endpoint) {
		if (this.proxy != null) {
			return this.proxy;
		}
		return this.useSystem ? WsProxy.select(endpoint, ProxySelector.getDefault()) : null;
	}

	@Override
	public String toString() {
		return (this.proxy != null) ? this.proxy.description() : (this.useSystem ? "system" : "none");
	}

}
