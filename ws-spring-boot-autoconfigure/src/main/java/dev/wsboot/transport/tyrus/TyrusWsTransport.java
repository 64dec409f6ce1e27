package dev.wsboot.transport.tyrus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.ThreadPoolConfig;
import org.glassfish.tyrus.client.auth.AuthConfig;
import org.glassfish.tyrus.spi.ClientContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsProxy;
import dev.wsboot.transport.WsTransport;

/**
 * A {@link WsTransport} on Tyrus's {@link ClientManager}, one per transport instance.
 * <p>
 * Tyrus is set up to stay out of the managed client's way: it never reconnects (a
 * {@link ClientManager.ReconnectHandler} that declines, per connect), never follows
 * redirects, never answers 401 or 503 itself, never logs the upgrade exchange, and has no
 * session idle timeout or heartbeat. Connecting does not block the caller; Tyrus runs
 * each connect on its own thread, at most {@value #MAX_CONNECTS_IN_FLIGHT} at once (the
 * others wait their turn without holding a thread).
 * <p>
 * Where Tyrus is lenient, this transport is strict: the handshake response may select
 * only what was offered ({@link TyrusHandshake}), frame headers are checked before Tyrus
 * parses them ({@link FrameValidator}, installed through
 * {@link ValidatingClientContainer}), compressed frames inflate into at most
 * {@code max-message-size} bytes ({@link PerMessageDeflate}), and a close frame without a
 * code is reported as 1005.
 * <p>
 * With the default Grizzly container all connections share one Grizzly transport: its
 * selector threads and a bounded pool of worker threads (at most {@value #MAX_WORKERS} or
 * twice the processors).
 */
public final class TyrusWsTransport implements WsTransport {

	/** The container Tyrus uses by default. */
	public static final String GRIZZLY_CONTAINER = "org.glassfish.tyrus.container.grizzly.client.GrizzlyClientContainer";

	/** Tyrus's container on JDK NIO ({@code tyrus-container-jdk-client}). */
	public static final String JDK_CONTAINER = "org.glassfish.tyrus.container.jdk.client.JdkClientContainer";

	/** How much later than the connect timeout Tyrus's own handshake timeout fires. */
	private static final long HANDSHAKE_TIMEOUT_SLACK_MILLIS = 1000;

	/** Room for a frame header (at most 14 bytes) in Tyrus's read buffer. */
	private static final int FRAME_HEADER_SLACK = 14;

	/**
	 * Tyrus's read buffer also holds the rest of the piece of a read that completed a
	 * frame: room for one {@link FrameValidator#MAX_PIECE}, and for the few bytes a
	 * compressed frame may exceed max-message-size by.
	 */
	private static final int READ_SLACK = 2 * FrameValidator.MAX_PIECE;

	/**
	 * Connects in flight at once; more wait for a permit (Tyrus runs each on its own
	 * thread).
	 */
	private static final int MAX_CONNECTS_IN_FLIGHT = 8;

	/**
	 * Worker threads of Grizzly's shared transport that read and dispatch every
	 * connection; idle ones above the core size end after
	 * {@link #WORKER_KEEP_ALIVE_SECONDS}. Backpressure pauses reading of a connection
	 * without holding a worker ({@link GrizzlyReadPause}), so this only bounds how many
	 * connections are read in parallel.
	 */
	private static final int MAX_WORKERS = 16;

	private static final int WORKER_KEEP_ALIVE_SECONDS = 10;

	private final String containerClassName;

	private volatile @Nullable ClientManager clientManager;

	private final ScheduledThreadPoolExecutor scheduler;

	private final Set<TyrusEndpoint> endpoints = ConcurrentHashMap.newKeySet();

	private final Object connectLock = new Object();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final ConnectThrottle connects = new ConnectThrottle(MAX_CONNECTS_IN_FLIGHT);

	/**
	 * Create a transport on Tyrus's Grizzly container.
	 */
	public TyrusWsTransport() {
		this(GRIZZLY_CONTAINER);
	}

	/**
	 * Create a transport on the given Tyrus client container.
	 * @param containerClassName the class name of a Tyrus {@code ClientContainer}, for
	 * example {@link #GRIZZLY_CONTAINER} or {@link #JDK_CONTAINER}
	 */
	public TyrusWsTransport(String containerClassName) {
		Assert.hasText(containerClassName, "'containerClassName' must not be empty");
		TyrusInternals.check();
		ValidatingClientContainer.check(containerClassName);
		this.containerClassName = containerClassName;
		this.scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "ws-tyrus-scheduler");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Tyrus's client, created by the first connect (start-up does not wait for Tyrus).
	 */
	private ClientManager clientManager() {
		ClientManager clientManager = this.clientManager;
		if (clientManager == null) {
			synchronized (this.connectLock) {
				clientManager = this.clientManager;
				if (clientManager == null) {
					if (this.closed.get()) {
						throw new IllegalStateException("The Tyrus transport was closed");
					}
					clientManager = createClientManager(this.containerClassName);
					this.clientManager = clientManager;
				}
			}
		}
		return clientManager;
	}

	/** Tyrus's client, once a connect created it. */
	@Nullable ClientManager currentClientManager() {
		return this.clientManager;
	}

	private static ClientManager createClientManager(String containerClassName) {
		ClientManager clientManager = ClientManager.createClient(ValidatingClientContainer.class.getName());
		Map<String, Object> properties = clientManager.getProperties();
		properties.put(ValidatingClientContainer.DELEGATE, containerClassName);
		// one selector and worker pool for all connections instead of a pair per
		// connection
		properties.put(ClientProperties.SHARED_CONTAINER, true);
		// Grizzly's default pool for a shared container is unbounded in practice (pings
		// keep
		// its workers alive); read by the container that creates the shared transport
		properties.put(ClientProperties.WORKER_THREAD_POOL_CONFIG, workerThreadPoolConfig());
		properties.put(ClientProperties.LOG_HTTP_UPGRADE, false);
		properties.put(ClientProperties.REDIRECT_ENABLED, false);
		properties.put(ClientProperties.RETRY_AFTER_SERVICE_UNAVAILABLE, false);
		properties.put(ClientProperties.AUTH_CONFIG,
				AuthConfig.Builder.create().disableProvidedBasicAuth().disableProvidedDigestAuth().build());
		// negative, not 0: with 0 Tyrus 2.2.2 still schedules a no-op timer task per
		// message (halves throughput);
		// the starter has its own idle deadline
		clientManager.setDefaultMaxSessionIdleTimeout(-1);
		// Tyrus would shut its executors down with every last connection; close() does
		TyrusInternals.keepExecutors(clientManager);
		return clientManager;
	}

	/**
	 * {@inheritDoc}
	 * @throws IllegalArgumentException when the request names an extension other than
	 * {@code permessage-deflate}
	 */
	@Override
	public CompletableFuture<WsConnection> connect(WsConnectRequest request, WsConnectionHandler handler) {
		Assert.notNull(request, "'request' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		checkExtensions(request.extensions());
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new IllegalStateException("The Tyrus transport was closed"));
		}
		TyrusEndpoint endpoint = new TyrusEndpoint(request, handler, this.scheduler, this.endpoints::remove);
		List<Extension> extensions = request.extensions().isEmpty() ? List.of()
				: List.of(new PerMessageDeflate(request.maxMessageSize(), endpoint));
		ClientEndpointConfig.Builder builder = ClientEndpointConfig.Builder.create()
			.preferredSubprotocols(request.subprotocols())
			.extensions(extensions)
			.configurator(new TyrusHandshake(request, endpoint::handshakeFailed));
		if (request.sslContext() != null) {
			builder.sslContext(request.sslContext());
		}
		ClientEndpointConfig config = builder.build();
		config.getUserProperties().put(ClientContainer.WLS_INCOMING_BUFFER_SIZE, incomingBufferSize(request));
		config.getUserProperties()
			.put(ValidatingClientContainer.VALIDATION, new ValidatingClientContainer.Validation(
					request.maxMessageSize(), endpoint, endpoint.pendingSocket()));
		this.endpoints.add(endpoint);
		try {
			// started off the caller's thread: the first connect loads and sets up Tyrus
			this.scheduler.execute(() -> this.connects.submit(() -> start(endpoint, config, request)));
		}
		catch (RejectedExecutionException ex) {
			endpoint.shutdown();
		}
		if (this.closed.get()) {
			endpoint.shutdown();
		}
		return endpoint.future();
	}

	/**
	 * Start a connect that got its permit; {@code false} when it is not in flight (failed
	 * or given up while it waited), so the permit goes to the next one.
	 */
	private boolean start(TyrusEndpoint endpoint, ClientEndpointConfig config, WsConnectRequest request) {
		if (!endpoint.isConnecting()) {
			return false;
		}
		endpoint.startTimeout();
		Future<Session> session;
		try {
			session = asyncConnect(endpoint, config, request);
		}
		catch (Exception ex) {
			endpoint.connectFailed(ex);
			return false;
		}
		AtomicBoolean released = new AtomicBoolean();
		Runnable release = () -> {
			if (released.compareAndSet(false, true)) {
				releaseLater();
			}
		};
		// the permit is held until Tyrus's connect is done (its thread is free again), or
		// the
		// attempt failed (a timed-out connect must not hold it for good)
		boolean tyrusReports = session instanceof CompletableFuture<Session>;
		endpoint.future().whenComplete((connection, failure) -> {
			if (failure != null || !tyrusReports) {
				release.run();
			}
		});
		// Tyrus 2.2 returns a TyrusFuture (a CompletableFuture): a second failure signal
		if (session instanceof CompletableFuture<Session> completable) {
			completable.whenComplete((opened, failure) -> {
				release.run();
				if (failure != null) {
					endpoint.connectFailed(failure);
				}
			});
		}
		return true;
	}

	/**
	 * Give a connect's permit back from the scheduler thread: called on Tyrus's connect
	 * thread, the next connect would otherwise find that thread still busy and make Tyrus
	 * start another one.
	 */
	private void releaseLater() {
		try {
			this.scheduler.execute(this.connects::release);
		}
		catch (RejectedExecutionException ex) {
			this.connects.release();
		}
	}

	private Future<Session> asyncConnect(TyrusEndpoint endpoint, ClientEndpointConfig config, WsConnectRequest request)
			throws Exception {
		ClientManager clientManager = clientManager();
		synchronized (this.connectLock) {
			// ClientManager copies its properties when a connect starts: these two apply
			// to
			// this connect only
			Map<String, Object> properties = clientManager.getProperties();
			properties.put(ClientProperties.HANDSHAKE_TIMEOUT, handshakeTimeout(request));
			properties.put(ClientProperties.RECONNECT_HANDLER, endpoint.reconnectHandler);
			WsProxy proxy = request.proxy();
			if (proxy != null) {
				// CONNECT with the credentials sent up front (Tyrus does not answer a
				// 407)
				properties.put(ClientProperties.PROXY_URI, proxy.uri().toString());
				properties.put(ClientProperties.PROXY_HEADERS, proxyHeaders(proxy));
			}
			try {
				return clientManager.asyncConnectToServer(endpoint, config, request.uri());
			}
			finally {
				properties.remove(ClientProperties.RECONNECT_HANDLER);
				properties.remove(ClientProperties.PROXY_URI);
				properties.remove(ClientProperties.PROXY_HEADERS);
			}
		}
	}

	/**
	 * Fail pending connects, drop open connections and stop Tyrus's threads.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (TyrusEndpoint endpoint : new ArrayList<>(this.endpoints)) {
			endpoint.shutdown();
		}
		// closes reported by the aborts above are still delivered; pending timeouts are
		// dropped
		this.scheduler.shutdown();
		synchronized (this.connectLock) {
			ClientManager clientManager = this.clientManager;
			if (clientManager != null) {
				clientManager.shutdown();
			}
		}
	}

	@Override
	public String toString() {
		return "TyrusWsTransport[" + this.endpoints.size() + " connections]";
	}

	private static ThreadPoolConfig workerThreadPoolConfig() {
		int cpus = Runtime.getRuntime().availableProcessors();
		return ThreadPoolConfig.defaultConfig()
			.setCorePoolSize(Math.max(2, cpus))
			.setMaxPoolSize(Math.max(MAX_WORKERS, 2 * cpus))
			.setKeepAliveTime(WORKER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS)
			.setPoolName("ws-tyrus-worker")
			.setDaemon(true);
	}

	private static void checkExtensions(List<String> names) {
		for (String name : names) {
			if (!PerMessageDeflate.NAME.equals(name)) {
				throw new IllegalArgumentException("The Tyrus transport does not support the WebSocket extension '"
						+ name + "'; supported: [" + PerMessageDeflate.NAME + "]");
			}
		}
	}

	private static Map<String, String> proxyHeaders(WsProxy proxy) {
		Map<String, String> headers = new HashMap<>();
		String authorization = proxy.basicAuthorization();
		if (authorization != null) {
			headers.put("Proxy-Authorization", authorization);
		}
		return headers;
	}

	private static int incomingBufferSize(WsConnectRequest request) {
		return (int) Math.min(Integer.MAX_VALUE - 8, request.maxMessageSize() + FRAME_HEADER_SLACK + READ_SLACK);
	}

	/**
	 * Tyrus's own handshake timeout, only a backstop: the endpoint's connect timeout
	 * fails the attempt first, with a {@code TimeoutException} rather than Tyrus's bare
	 * {@code IOException}. Tyrus ignores a value that is not an Integer of milliseconds.
	 */
	private static Integer handshakeTimeout(WsConnectRequest request) {
		long millis = request.connectTimeout().toMillis();
		return (millis <= 0) ? Integer.MAX_VALUE
				: (int) Math.min(Integer.MAX_VALUE, millis + HANDSHAKE_TIMEOUT_SLACK_MILLIS);
	}

}
