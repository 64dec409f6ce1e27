package dev.wsboot.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.wsboot.transport.WsProxySettings;

/**
 * The validated, effective settings of one client ({@code ws.defaults} merged under
 * {@code ws.clients.<name>}).
 *
 * @param name the client's name
 * @param url the endpoint
 * @param autoStartup whether to connect when the context starts
 * @param subprotocols subprotocols to offer
 * @param extensions extensions to offer
 * @param headers extra handshake headers
 * @param connectTimeout limit for TCP, TLS and handshake
 * @param pingInterval how often to ping, zero for never
 * @param idleTimeout how long without any received frame before the connection is dead,
 * zero for never
 * @param maxFragmentSize largest outbound frame payload in bytes
 * @param maxMessageSize largest inbound message in bytes
 * @param sendBufferLimit most bytes waiting to be sent
 * @param reconnect how to reconnect
 * @param sslContext the TLS material for {@code wss://}, {@code null} for the JVM default
 * @param transport the name of the transport to use
 * @param proxy how each connection attempt picks its HTTP proxy
 * @param correlation how requests are matched to replies
 * @param readyOn when an open connection is ready for the application's messages
 */
public record WsClientSettings(String name, URI url, boolean autoStartup, List<String> subprotocols,
		List<String> extensions, Map<String, String> headers, Duration connectTimeout, Duration pingInterval,
		Duration idleTimeout, long maxFragmentSize, long maxMessageSize, long sendBufferLimit, Reconnect reconnect,
		@Nullable SSLContext sslContext, String transport, WsProxySettings proxy, WsCorrelationSettings correlation,
		ReadyOn readyOn) {

	public WsClientSettings {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(url, "'url' must not be null");
		Assert.notNull(connectTimeout, "'connectTimeout' must not be null");
		Assert.notNull(pingInterval, "'pingInterval' must not be null");
		Assert.notNull(idleTimeout, "'idleTimeout' must not be null");
		Assert.isTrue(maxFragmentSize > 0, "'maxFragmentSize' must be positive");
		Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
		Assert.isTrue(sendBufferLimit > 0, "'sendBufferLimit' must be positive");
		Assert.notNull(reconnect, "'reconnect' must not be null");
		Assert.hasText(transport, "'transport' must not be empty");
		Assert.notNull(proxy, "'proxy' must not be null");
		Assert.notNull(correlation, "'correlation' must not be null");
		Assert.notNull(readyOn, "'readyOn' must not be null");
		subprotocols = List.copyOf(subprotocols);
		extensions = List.copyOf(extensions);
		headers = Map.copyOf(headers);
	}

	/**
	 * When an open connection is ready for the application's messages ({@code ready-on}).
	 */
	public enum ReadyOn {

		/** As soon as the WebSocket handshake completed. */
		OPEN,

		/**
		 * When the application calls {@link WsClient#ready()}, after the protocol's own
		 * handshake.
		 */
		APPLICATION

	}

	@Override
	public String toString() {
		return "WsClientSettings[name=" + this.name + ", url=" + WsSecrets.mask(this.url) + ", headers="
				+ WsSecrets.mask(this.headers) + ", transport=" + this.transport + ", proxy=" + this.proxy + "]";
	}

	/**
	 * Reconnect settings.
	 *
	 * @param enabled whether to reconnect after closes the application did not ask for
	 * @param initialDelay the first delay
	 * @param maxDelay the longest delay
	 * @param multiplier growth per failed attempt
	 * @param jitter fraction by which each delay is randomised
	 * @param maxAttempts attempts before giving up, 0 for unlimited
	 * @param stopOnCloseCodes close codes after which the client does not reconnect
	 */
	public record Reconnect(boolean enabled, Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
			int maxAttempts, CloseCodeSet stopOnCloseCodes) {

		public Reconnect {
			Assert.notNull(initialDelay, "'initialDelay' must not be null");
			Assert.notNull(maxDelay, "'maxDelay' must not be null");
			Assert.notNull(stopOnCloseCodes, "'stopOnCloseCodes' must not be null");
		}

		/**
		 * The back-off these settings describe: Spring's {@link ExponentialBackOff} with
		 * the jitter expressed as a fraction of each delay (delays stay within
		 * {@code [initialDelay, maxDelay]}).
		 * @return a new back-off
		 */
		public BackOff backOff() {
			long initial = Math.max(1, this.initialDelay.toMillis());
			ExponentialBackOff backOff = new ExponentialBackOff(initial, this.multiplier);
			backOff.setMaxInterval(Math.max(initial, this.maxDelay.toMillis()));
			backOff.setJitter(Math.round(initial * this.jitter));
			backOff.setMaxAttempts((this.maxAttempts > 0) ? this.maxAttempts : Long.MAX_VALUE);
			return backOff;
		}

	}

}
