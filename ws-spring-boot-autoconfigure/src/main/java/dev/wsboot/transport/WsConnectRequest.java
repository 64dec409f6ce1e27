package dev.wsboot.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a transport needs to open one connection.
 *
 * @param uri the {@code ws://} or {@code wss://} endpoint
 * @param subprotocols subprotocols to offer, in order of preference
 * @param extensions extensions to offer, by name
 * @param headers extra handshake headers (values are secrets)
 * @param connectTimeout limit for TCP connect, TLS and the handshake together
 * @param maxMessageSize largest inbound message in bytes, after decompression; larger
 * ones fail the connection with 1009
 * @param sslContext the TLS material for {@code wss://}, or {@code null} for the JVM
 * default
 * @param proxy the HTTP proxy to tunnel through, or {@code null} to connect directly
 */
public record WsConnectRequest(URI uri, List<String> subprotocols, List<String> extensions,
		Map<String, List<String>> headers, Duration connectTimeout, long maxMessageSize,
		@Nullable SSLContext sslContext, @Nullable WsProxy proxy) {

	public WsConnectRequest {
		Assert.notNull(uri, "'uri' must not be null");
		Assert.notNull(subprotocols, "'subprotocols' must not be null");
		Assert.notNull(extensions, "'extensions' must not be null");
		Assert.notNull(headers, "'headers' must not be null");
		Assert.notNull(connectTimeout, "'connectTimeout' must not be null");
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		subprotocols = List.copyOf(subprotocols);
		extensions = List.copyOf(extensions);
		headers = Map.copyOf(headers);
	}

	/**
	 * A request for a direct connection (no proxy).
	 * @param uri the {@code ws://} or {@code wss://} endpoint
	 * @param subprotocols subprotocols to offer, in order of preference
	 * @param extensions extensions to offer, by name
	 * @param headers extra handshake headers (values are secrets)
	 * @param connectTimeout limit for TCP connect, TLS and the handshake together
	 * @param maxMessageSize largest inbound message in bytes, after decompression
	 * @param sslContext the TLS material for {@code wss://}, or {@code null} for the JVM
	 * default
	 */
	public WsConnectRequest(URI uri, List<String> subprotocols, List<String> extensions,
			Map<String, List<String>> headers, Duration connectTimeout, long maxMessageSize,
			@Nullable SSLContext sslContext) {
		this(uri, subprotocols, extensions, headers, connectTimeout, maxMessageSize, sslContext, null);
	}

	@Override
	public String toString() {
		return "WsConnectRequest[uri=" + TransportFailures.describe(this.uri) + ", subprotocols=" + this.subprotocols
				+ ", extensions=" + this.extensions + ", headers=" + this.headers.keySet()
				+ ((this.proxy != null) ? ", proxy=" + this.proxy.description() : "") + "]";
	}

}
