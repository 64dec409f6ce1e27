package dev.wsboot.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import dev.wsboot.transport.WsTransport;

/**
 * The managed client behind each {@link WsClient} bean: the connection state machine and
 * reconnecting. One {@link ClientConnection} per attempt carries the per-connection work
 * (liveness, inbound assembly and dispatch); the {@link SendQueue} holds outbound
 * messages across connections, {@link ReconnectSchedule} picks the delays and
 * {@link LifecycleAnnouncer} logs and publishes what happens.
 */
final class ManagedWsClient implements WsClient, SmartLifecycle {

	/** After the embedded web server started (so a client may point at its own app), before it stops. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** A connection open at least this long resets the back-off. */
	private static final Duration STABLE = Duration.ofSeconds(10);

	final WsClientSettings settings;

	final WsClientFactory factory;

	private final WsTransport transport;

	final SendQueue sendQueue;

	final InboundDispatcher dispatcher;

	private final LifecycleAnnouncer announcer = new LifecycleAnnouncer(this);

	private final ReconnectSchedule reconnects;

	private final Object lock = new Object();

	private volatile WsClientState state = WsClientState.NEW;

	private volatile Instant since = Instant.now();

	private volatile @Nullable ClientConnection current;

	private boolean closedByApplication;

	private @Nullable CompletableFuture<Void> closing;

	/** Completes when the connection after a {@link #renew(int, String)} opened or failed. */
	private @Nullable CompletableFuture<Void> renewal;

	private volatile int failedAttempts;

	private @Nullable List<WsMessageListener> listeners;

	final ClientStatistics statistics = new ClientStatistics();

	private volatile @Nullable BufferPool bufferPool;

	ManagedWsClient(WsClientFactory factory, String name) {
		this.factory = factory;
		this.settings = factory.settings.apply(name);
		this.transport = factory.transports.apply(this.settings.transport());
		this.sendQueue = new SendQueue(name, this.settings.sendBufferLimit(), this.settings.maxFragmentSize());
		this.dispatcher = InboundDispatcher.forClient(this, factory.listenerExecutor, this.settings.maxMessageSize());
		this.reconnects = new ReconnectSchedule(this.settings.reconnect(), factory.scheduler);
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public URI url() {
		return this.settings.url();
	}

	@Override
	public WsClientState state() {
		return this.state;
	}

	@Override
	public CompletableFuture<Void> sendText(CharSequence text) {
		return send(text);
	}

	@Override
	public CompletableFuture<Void> sendBinary(ByteBuffer data) {
		return send(data);
	}

	@Override
	public CompletableFuture<Void> sendObject(Object payload) {
		String json;
		try {
			json = this.factory.json(name(), payload);
		}
		catch (WsSendException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return send(json);
	}

	private CompletableFuture<Void> send(Object payload) {
		ClientConnection opening = ClientConnection.opening();
		if (opening != null && opening.client() == this) {
			return this.sendQueue.writeFirst(opening.connection(), payload);
		}
		WsClientState state = this.state;
		if (state == WsClientState.CLOSED || state == WsClientState.CLOSING) {
			return CompletableFuture.failedFuture(new WsSendException.ClientClosed(name(), "Client '" + name()
					+ "' is " + state + ((this.closedByApplication) ? " (closed by the application)"
							: " (reconnecting gave up)") + "; call connect() first"));
		}
		return this.sendQueue.enqueue(payload);
	}

	@Override
	public void connect() {
		ClientConnection connection;
		synchronized (this.lock) {
			if (this.state == WsClientState.CONNECTING || this.state == WsClientState.OPEN
					|| this.state == WsClientState.RECONNECTING) {
				return;
			}
			this.closedByApplication = false;
			this.reconnects.reset();
			this.failedAttempts = 0;
			transition(WsClientState.CONNECTING);
			connection = newAttempt();
		}
		connection.start(this.transport);
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		ClientConnection connection;
		CompletableFuture<Void> closed;
		completeRenewal();
		synchronized (this.lock) {
			this.closedByApplication = true;
			this.reconnects.cancel();
			if (this.closing != null) {
				return this.closing;
			}
			connection = this.current;
			if (connection == null || !connection.isOpen()) {
				if (connection != null) {
					connection.abandon();
					this.current = null;
				}
				if (this.state != WsClientState.NEW) {
					transition(WsClientState.CLOSED);
				}
				failQueuedSends("closed by the application");
				return CompletableFuture.completedFuture(null);
			}
			transition(WsClientState.CLOSING);
			closed = new CompletableFuture<>();
			this.closing = closed;
		}
		failQueuedSends("closed by the application");
		connection.close(code, reason, this.factory.shutdownTimeout);
		return closed;
	}

	@Override
	public void terminate() {
		ClientConnection connection;
		synchronized (this.lock) {
			connection = this.current;
		}
		if (connection != null) {
			connection.terminate("terminated by the application");
		}
	}

	@Override
	public long bufferedAmount() {
		return this.sendQueue.buffered();
	}

	@Override
	public Optional<Duration> latency() {
		return this.statistics.latency();
	}

	@Override
	public Optional<Instant> lastMessageReceived() {
		return this.statistics.lastMessageReceived();
	}

	@Override
	public Optional<String> subprotocol() {
		ClientConnection connection = this.current;
		return (connection != null && connection.isOpen()) ? connection.connection().subprotocol() : Optional.empty();
	}

	@Override
	public List<String> extensions() {
		ClientConnection connection = this.current;
		return (connection != null && connection.isOpen()) ? connection.connection().extensions() : List.of();
	}

	// SmartLifecycle

	@Override
	public void start() {
		connect();
	}

	@Override
	public void stop() {
		close(1001, "Going away").join();
	}

	@Override
	public void stop(Runnable callback) {
		close(1001, "Going away").whenComplete((result, failure) -> callback.run());
	}

	@Override
	public boolean isRunning() {
		WsClientState state = this.state;
		return state != WsClientState.NEW && state != WsClientState.CLOSED;
	}

	@Override
	public boolean isAutoStartup() {
		return this.settings.autoStartup();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	// called by ClientConnection (transport threads) and the scheduler

	List<WsMessageListener> listeners() {
		List<WsMessageListener> listeners = this.listeners;
		if (listeners == null) {
			listeners = List.copyOf(this.factory.listenersFor(name()));
			this.listeners = listeners;
		}
		return listeners;
	}

	/** The handshake of {@code connection} succeeded; {@code false} when it is no longer wanted. */
	boolean opened(ClientConnection connection) {
		synchronized (this.lock) {
			if (connection != this.current || this.closedByApplication) {
				return false;
			}
			this.failedAttempts = 0;
			transition(WsClientState.OPEN);
		}
		this.announcer.opened(connection, () -> {
			this.sendQueue.open(connection.connection(), connection::isOpen);
			// a renewal is done once the application heard of the new connection
			completeRenewal();
		});
		return true;
	}

	/** An open connection ended (exactly once per connection). */
	void closed(ClientConnection connection, int code, String reason, long openNanos) {
		this.sendQueue.close(connection.connection());
		boolean reconnect;
		boolean renewing;
		CompletableFuture<Void> closing;
		synchronized (this.lock) {
			if (connection != this.current) {
				return;
			}
			this.current = null;
			this.statistics.closed(code, reason);
			closing = this.closing;
			this.closing = null;
			renewing = this.renewal != null && !this.closedByApplication;
			reconnect = !this.closedByApplication && (this.settings.reconnect().enabled() || renewing);
			if (openNanos >= STABLE.toNanos() || renewing) {
				this.reconnects.reset();
			}
			transition(reconnect ? WsClientState.RECONNECTING : WsClientState.CLOSED);
		}
		this.announcer.closed(code, reason, reconnect);
		if (closing != null) {
			closing.complete(null);
		}
		if (renewing) {
			// from the scheduler, like every attempt: not on the transport thread reporting the close
			this.factory.scheduler.execute(this::reconnectNow);
		}
		else if (reconnect) {
			scheduleReconnect(null);
		}
		else if (!this.closedByApplication) {
			failQueuedSends("the connection closed with " + code + " and reconnect is disabled");
		}
	}

	/** A connection attempt failed before the handshake completed. */
	void failed(ClientConnection connection, Throwable cause) {
		synchronized (this.lock) {
			if (connection != this.current) {
				return;
			}
			this.current = null;
			if (this.closedByApplication) {
				return;
			}
			this.failedAttempts++;
			this.statistics.failed(cause);
		}
		completeRenewal();
		if (!this.settings.reconnect().enabled()) {
			giveUp(cause, "reconnect is disabled");
			return;
		}
		if (!this.factory.reconnectPolicy.shouldReconnect(this, cause, this.failedAttempts)) {
			giveUp(cause, "the WsReconnectPolicy declined to reconnect");
			return;
		}
		scheduleReconnect(cause);
	}

	/**
	 * Schedule the next attempt at once (not behind listeners still working through
	 * messages of the old connection); the events go through the dispatcher, in order.
	 */
	private void scheduleReconnect(@Nullable Throwable failure) {
		long delay;
		synchronized (this.lock) {
			if (this.closedByApplication) {
				return;
			}
			delay = this.reconnects.schedule(failure, this::reconnect);
			if (delay != ReconnectSchedule.STOP) {
				transition(WsClientState.RECONNECTING);
				if (failure != null) {
					this.announcer.failed(failure);
				}
				this.announcer.reconnecting(this.reconnects.attempt(), Duration.ofMillis(delay));
			}
		}
		if (delay == ReconnectSchedule.STOP) {
			giveUp((failure != null) ? failure : new IllegalStateException("connection lost"),
					"gave up after " + this.settings.reconnect().maxAttempts() + " attempts");
		}
	}

	private void reconnect() {
		ClientConnection connection;
		synchronized (this.lock) {
			this.reconnects.started();
			if (this.state != WsClientState.RECONNECTING || this.current != null) {
				return;
			}
			this.statistics.reconnects.increment();
			connection = newAttempt();
		}
		connection.start(this.transport);
	}

	/**
	 * Replace the open connection because what it was opened with changed (a reloaded SSL
	 * bundle): close it with {@code code}, then connect again at once. Queued and new sends
	 * wait for the next connection.
	 * @param code the close code
	 * @param reason the close reason
	 * @return completes when the next connection opened or its attempt failed; at once when
	 * no connection is open
	 */
	CompletableFuture<Void> renew(int code, String reason) {
		ClientConnection connection;
		CompletableFuture<Void> renewal;
		synchronized (this.lock) {
			connection = this.current;
			if (this.renewal != null) {
				return this.renewal;
			}
			if (this.closedByApplication || this.closing != null || connection == null || !connection.isOpen()) {
				return CompletableFuture.completedFuture(null);
			}
			renewal = new CompletableFuture<>();
			this.renewal = renewal;
		}
		this.sendQueue.close(connection.connection());
		connection.close(code, reason, this.factory.shutdownTimeout);
		return renewal;
	}

	/** Connect again at once after a renewal closed the connection; events as for any reconnect. */
	private void reconnectNow() {
		synchronized (this.lock) {
			if (this.closedByApplication || this.state != WsClientState.RECONNECTING) {
				return;
			}
			this.announcer.reconnecting(1, Duration.ZERO);
		}
		reconnect();
	}

	private void completeRenewal() {
		CompletableFuture<Void> renewal;
		synchronized (this.lock) {
			renewal = this.renewal;
			this.renewal = null;
		}
		if (renewal != null) {
			renewal.complete(null);
		}
	}

	private void giveUp(Throwable cause, String why) {
		synchronized (this.lock) {
			transition(WsClientState.CLOSED);
		}
		this.announcer.gaveUp(cause, why);
		failQueuedSends("reconnecting " + why);
	}

	/** A new attempt, made current; started by the caller after it released the lock. */
	private ClientConnection newAttempt() {
		ClientConnection connection = new ClientConnection(this);
		this.current = connection;
		return connection;
	}

	private void failQueuedSends(String why) {
		this.sendQueue.failAll(() -> new WsSendException.ClientClosed(name(), "Client '" + name() + "': " + why
				+ "; the message was not sent"));
	}

	private void transition(WsClientState state) {
		if (this.state != state) {
			this.state = state;
			this.since = Instant.now();
		}
	}

	/** The pool of buffers for binary messages, created on first use and kept across connections. */
	BufferPool bufferPool() {
		BufferPool pool = this.bufferPool;
		if (pool == null) {
			pool = new BufferPool(this.settings.maxMessageSize());
			this.bufferPool = pool;
		}
		return pool;
	}

	WsClientSnapshot snapshot() {
		return new WsClientSnapshot(name(), WsSecrets.mask(url()), this.state, this.since, this.closedByApplication,
				this.failedAttempts, this.statistics.lastCloseCode, this.statistics.lastCloseReason,
				this.statistics.lastFailure,
				this.statistics.textReceived.sum(), this.statistics.binaryReceived.sum(),
				this.statistics.bytesReceived.sum(),
				this.sendQueue.textMessages.sum(), this.sendQueue.binaryMessages.sum(), this.sendQueue.bytes.sum(),
				this.statistics.reconnects.sum(), bufferedAmount(), latency().orElse(null), this.statistics.pongs.sum(),
				Duration.ofNanos(this.statistics.latencyTotalNanos.sum()), lastMessageReceived().orElse(null),
				subprotocol().orElse(null));
	}

	@Override
	public String toString() {
		return "WsClient[" + name() + ", " + WsSecrets.mask(url()) + ", " + this.state + "]";
	}

}
