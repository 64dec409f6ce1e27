package dev.wsboot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the managed WebSocket clients ({@code ws.*}).
 */
@ConfigurationProperties("ws")
public class WsProperties {

	/**
	 * Settings applied to every client; each client's own settings win.
	 */
	@NestedConfigurationProperty
	private final Client defaults = new Client();

	/**
	 * The clients, by name (the bean name, health name and metric tag).
	 */
	private final Map<String, Client> clients = new LinkedHashMap<>();

	/**
	 * Templates for clients created at run time with WsClients.create, by name; the same
	 * keys as a client, never connected by themselves.
	 */
	private final Map<String, Client> templates = new LinkedHashMap<>();

	/**
	 * How long each open client waits for the close handshake on shutdown before dropping
	 * the socket.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	/**
	 * How long a listener thread that ran a client's messages waits for that client's
	 * next message, yielding its core, before it returns to the pool (at most 10ms).
	 * Saves a thread wake-up per reply for request/response traffic at the cost of up to
	 * that much CPU per message; 0 (default) lets only a busy feed keep the thread, for
	 * 20us.
	 */
	private Duration listenerSpin = Duration.ZERO;

	/**
	 * Cluster ownership: each singleton client connected by one replica at a time.
	 */
	private final Cluster cluster = new Cluster();

	public Cluster getCluster() {
		return this.cluster;
	}

	public Client getDefaults() {
		return this.defaults;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public Map<String, Client> getTemplates() {
		return this.templates;
	}

	public Duration getListenerSpin() {
		return this.listenerSpin;
	}

	public void setListenerSpin(Duration listenerSpin) {
		this.listenerSpin = listenerSpin;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * The WebSocket implementation that carries a client's connection.
	 */
	public enum Transport {

		/** Eclipse Tyrus (the default). */
		TYRUS,

		/** The JDK's {@code java.net.http.WebSocket}. */
		JDK

	}

	/**
	 * When an open connection is ready for the application's messages.
	 */
	public enum ReadyOn {

		/** As soon as the WebSocket handshake completed (the default). */
		OPEN,

		/**
		 * When the application calls {@code WsClient.ready()}, after the protocol's own
		 * handshake.
		 */
		APPLICATION

	}

	/**
	 * Settings of one client.
	 */
	public static class Client {

		/**
		 * The ws:// or wss:// endpoint to connect to.
		 */
		private @Nullable URI url;

		/**
		 * Whether to create this client.
		 */
		private boolean enabled = true;

		/**
		 * Whether to connect when the application context starts.
		 */
		private boolean autoStartup = true;

		/**
		 * Subprotocols offered in Sec-WebSocket-Protocol, in order of preference.
		 */
		private List<String> subprotocols = new ArrayList<>();

		/**
		 * Extensions offered in Sec-WebSocket-Extensions (permessage-deflate is
		 * supported).
		 */
		private List<String> extensions = new ArrayList<>();

		/**
		 * Extra handshake headers; values are secrets and are never logged or shown.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Limit for TCP connect, TLS and the handshake together.
		 */
		private Duration connectTimeout = Duration.ofSeconds(10);

		/**
		 * How often to send a ping; 0 turns pings off.
		 */
		private Duration pingInterval = Duration.ofSeconds(30);

		/**
		 * How long nothing may be received before the connection is declared dead and
		 * replaced; defaults to 3 times the ping interval (0 when pings are off).
		 */
		private @Nullable Duration idleTimeout;

		/**
		 * Largest outbound frame; longer messages go out as continuation frames of at
		 * most this size.
		 */
		private DataSize maxFragmentSize = DataSize.ofKilobytes(32);

		/**
		 * Largest inbound message after decompression; a larger one closes the connection
		 * with 1009.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * Most bytes waiting to be sent, also while reconnecting; beyond it a send fails
		 * at once.
		 */
		private DataSize sendBufferLimit = DataSize.ofMegabytes(16);

		/**
		 * How to reconnect after closes the application did not ask for.
		 */
		@NestedConfigurationProperty
		private final Reconnect reconnect = new Reconnect();

		/**
		 * TLS settings for wss:// endpoints.
		 */
		@NestedConfigurationProperty
		private final Ssl ssl = new Ssl();

		/**
		 * How request() matches replies to requests.
		 */
		@NestedConfigurationProperty
		private final Correlation correlation = new Correlation();

		/**
		 * Which WebSocket implementation carries the connection.
		 */
		private Transport transport = Transport.TYRUS;

		/**
		 * HTTP proxy settings.
		 */
		@NestedConfigurationProperty
		private final Proxy proxy = new Proxy();

		/**
		 * Cluster settings of the client.
		 */
		private final ClientCluster cluster = new ClientCluster();

		/**
		 * Number of shards: more than 1 creates that many clients named name-0 to
		 * name-(shards-1), with {shard} and {shards} in the URL and header values
		 * replaced.
		 */
		private int shards = 1;

		/**
		 * When an open connection is ready for the application's messages: at once
		 * (open), or when the application calls WsClient.ready() after the protocol's own
		 * handshake (application).
		 */
		private ReadyOn readyOn = ReadyOn.OPEN;

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public List<String> getSubprotocols() {
			return this.subprotocols;
		}

		public void setSubprotocols(List<String> subprotocols) {
			this.subprotocols = subprotocols;
		}

		public List<String> getExtensions() {
			return this.extensions;
		}

		public void setExtensions(List<String> extensions) {
			this.extensions = extensions;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public @Nullable Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(@Nullable Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public DataSize getMaxFragmentSize() {
			return this.maxFragmentSize;
		}

		public void setMaxFragmentSize(DataSize maxFragmentSize) {
			this.maxFragmentSize = maxFragmentSize;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public DataSize getSendBufferLimit() {
			return this.sendBufferLimit;
		}

		public void setSendBufferLimit(DataSize sendBufferLimit) {
			this.sendBufferLimit = sendBufferLimit;
		}

		public Reconnect getReconnect() {
			return this.reconnect;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Correlation getCorrelation() {
			return this.correlation;
		}

		public Transport getTransport() {
			return this.transport;
		}

		public void setTransport(Transport transport) {
			this.transport = transport;
		}

		public Proxy getProxy() {
			return this.proxy;
		}

		public ClientCluster getCluster() {
			return this.cluster;
		}

		public int getShards() {
			return this.shards;
		}

		public void setShards(int shards) {
			this.shards = shards;
		}

		public ReadyOn getReadyOn() {
			return this.readyOn;
		}

		public void setReadyOn(ReadyOn readyOn) {
			this.readyOn = readyOn;
		}

	}

	/**
	 * Cluster ownership of the application's singleton clients ({@code ws.cluster.*}).
	 */
	public static class Cluster {

		/**
		 * Whether replicas share singleton clients through a Spring Integration
		 * LockRegistry.
		 */
		private boolean enabled;

		/**
		 * Lock time-to-live: an owner that stops renewing loses its clients after this
		 * long.
		 */
		private Duration lease = Duration.ofSeconds(10);

		/**
		 * How often a replica renews its locks and tries to take clients it does not own.
		 */
		private Duration acquireInterval = Duration.ofSeconds(1);

		/**
		 * Most singleton clients one replica owns at a time; 0 means no cap.
		 */
		private int maxOwned;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getAcquireInterval() {
			return this.acquireInterval;
		}

		public void setAcquireInterval(Duration acquireInterval) {
			this.acquireInterval = acquireInterval;
		}

		public int getMaxOwned() {
			return this.maxOwned;
		}

		public void setMaxOwned(int maxOwned) {
			this.maxOwned = maxOwned;
		}

	}

	/**
	 * Cluster settings of one client.
	 */
	public static class ClientCluster {

		/**
		 * Whether one replica at a time connects this client (needs ws.cluster.enabled);
		 * otherwise every replica connects.
		 */
		private boolean singleton;

		public boolean isSingleton() {
			return this.singleton;
		}

		public void setSingleton(boolean singleton) {
			this.singleton = singleton;
		}

	}

	/**
	 * Reconnect settings of one client.
	 */
	public static class Reconnect {

		/**
		 * Whether to reconnect after any close that the application did not ask for.
		 */
		private boolean enabled = true;

		/**
		 * Delay before the first reconnect attempt.
		 */
		private Duration initialDelay = Duration.ofSeconds(1);

		/**
		 * Longest delay between attempts.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * Growth of the delay per failed attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Fraction by which each delay is randomised (plus or minus).
		 */
		private double jitter = 0.2;

		/**
		 * Reconnect attempts after a failure before giving up (the first connect does not
		 * count); 0 means unlimited.
		 */
		private int maxAttempts = 0;

		/**
		 * Close codes and ranges (such as 4004, 4010-4014) after which the client does
		 * not reconnect.
		 */
		private List<String> stopOnCloseCodes = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public List<String> getStopOnCloseCodes() {
			return this.stopOnCloseCodes;
		}

		public void setStopOnCloseCodes(List<String> stopOnCloseCodes) {
			this.stopOnCloseCodes = stopOnCloseCodes;
		}

	}

	/**
	 * TLS settings of one client.
	 */
	public static class Ssl {

		/**
		 * Name of the spring.ssl.bundle.* that provides trust and key material for
		 * wss://.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * HTTP proxy settings of one client.
	 */
	public static class Proxy {

		/**
		 * HTTP proxy (http://host:port) to tunnel the connection through with CONNECT;
		 * user-info is sent as Basic proxy authentication and masked everywhere.
		 */
		private @Nullable URI url;

		/**
		 * Whether to use the JVM's ProxySelector (https.proxyHost, http.proxyHost,
		 * http.nonProxyHosts) when no proxy url is set.
		 */
		private boolean useSystem;

		public @Nullable URI getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable URI url) {
			this.url = url;
		}

		public boolean isUseSystem() {
			return this.useSystem;
		}

		public void setUseSystem(boolean useSystem) {
			this.useSystem = useSystem;
		}

	}

	/**
	 * Request/response correlation of one client, for WsClient.request(..).
	 */
	public static class Correlation {

		/**
		 * JSON Pointer of the id in an outgoing request; written as an increasing integer
		 * when the request has none. Without it, request() is disabled.
		 */
		private @Nullable String requestId;

		/**
		 * JSON Pointer of the id in a reply; defaults to request-id.
		 */
		private @Nullable String replyId;

		/**
		 * JSON Pointer of the part of a reply converted to the reply type; defaults to
		 * the whole message.
		 */
		private @Nullable String replyPayload;

		/**
		 * JSON Pointer of the error in a reply; a non-null value there fails the request
		 * with a WsRequestException.
		 */
		private @Nullable String error;

		/**
		 * How long a request waits for its reply before it fails with a TimeoutException.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public @Nullable String getRequestId() {
			return this.requestId;
		}

		public void setRequestId(@Nullable String requestId) {
			this.requestId = requestId;
		}

		public @Nullable String getReplyId() {
			return this.replyId;
		}

		public void setReplyId(@Nullable String replyId) {
			this.replyId = replyId;
		}

		public @Nullable String getReplyPayload() {
			return this.replyPayload;
		}

		public void setReplyPayload(@Nullable String replyPayload) {
			this.replyPayload = replyPayload;
		}

		public @Nullable String getError() {
			return this.error;
		}

		public void setError(@Nullable String error) {
			this.error = error;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
