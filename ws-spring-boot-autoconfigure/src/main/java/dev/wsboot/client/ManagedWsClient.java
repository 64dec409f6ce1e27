package dev.wsboot.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import dev.wsboot.transport.WsTransport;

/**
 * The managed client behind each {@link WsClient} bean: the connection state machine and
 * reconnecting. One {@link ClientConnection} per attempt carries the per-connection work
 * (liveness, inbound assembly and dispatch); the {@link SendQueue} holds outbound
 * messages across connections, {@link ReconnectSchedule} picks the delays and
 * {@link LifecycleAnnouncer} logs and publishes what happens.
 */
final class ManagedWsClient implements WsClient, SmartLifecycle {

	/**
	 * After the embedded web server started (so a client may point at its own app),
	 * before it stops.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** A connection open at least this long resets the back-off. */
	private static final Duration STABLE = Duration.ofSeconds(10);

	private final WsClientSettings settings;

	private final WsClientFactory factory;

	private final WsTransport transport;

	private final SendQueue sendQueue;

	private final InboundDispatcher dispatcher;

	private final LifecycleAnnouncer announcer;

	private final ReconnectSchedule reconnects;

	private final Object lock = new Object();

	private volatile WsClientState state = WsClientState.NEW;

	private volatile Instant since = Instant.now();

	private volatile @Nullable ClientConnection current;

	private boolean closedByApplication;

	private @Nullable CompletableFuture<Void> closing;

	/**
	 * The replacement of the open connection under way ({@link #replace(int, String)}),
	 * until the next connection opened or its attempt failed.
	 */
	private @Nullable Replacement replacement;

	/**
	 * Whether {@link #closing} completes before the closed event (closed from a
	 * listener).
	 */
	private boolean closingFromListener;

	private volatile int failedAttempts;

	private final ClusterOwnership ownership;

	private final ReconnectDecision decision;

	private @Nullable List<WsMessageListener> listeners;

	private final ClientStatistics statistics = new ClientStatistics();

	/**
	 * Requests waiting for replies; {@code null} without {@code correlation.request-id}.
	 */
	private final @Nullable PendingRequests requests;

	private final @Nullable WsShard shard;

	private final ConnectionUrl connectionUrl;

	private final ReadyGate readyGate;

	private volatile @Nullable BufferPool bufferPool;

	private final ProtocolHeartbeat.Support heartbeats;

	ManagedWsClient(WsClientFactory factory, String name) {
		this(factory, factory.settings.apply(name), null);
	}

	ManagedWsClient(WsClientFactory factory, WsClientSettings settings, @Nullable WsShard shard) {
		this.factory = factory;
		this.settings = settings;
		this.shard = shard;
		String name = settings.name();
		this.transport = factory.transports.apply(this.settings.transport());
		this.sendQueue = new SendQueue(name, this.settings.sendBufferLimit(), this.settings.maxFragmentSize());
		this.dispatcher = InboundDispatcher.forClient(this, factory.listenerExecutor, this.settings.maxMessageSize());
		this.reconnects = new ReconnectSchedule(this.settings.reconnect(), factory.scheduler);
		this.connectionUrl = new ConnectionUrl(name, this.settings.url());
		this.readyGate = new ReadyGate(this.settings.readyOn(), this.sendQueue);
		this.announcer = new LifecycleAnnouncer(this, this.dispatcher, factory.publisher, this.connectionUrl::inUse);
		Function<Object, String> json = (payload) -> factory.json(name, payload);
		this.requests = PendingRequests.of(this, this.statistics, this.settings.correlation(),
				new PendingRequests.Support(factory.scheduler, factory.messageConverter, json,
						factory.listeners.jsonParser()));
		this.ownership = new ClusterOwnership(this, () -> factory.ownership, this.dispatcher, factory.publisher);
		this.decision = new ReconnectDecision(this, this.settings.reconnect(), () -> factory.reconnectPolicy);
		this.heartbeats = new ProtocolHeartbeat.Support(name, factory.scheduler, this.statistics, this.dispatcher,
				this.sendQueue, json);
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

	@Override
	public <T> CompletableFuture<T> request(Object message, Class<T> replyType) {
		return pendingRequests().request(message, replyType, null);
	}

	@Override
	public <T> CompletableFuture<T> request(Object message, Class<T> replyType, Duration timeout) {
		return pendingRequests().request(message, replyType, timeout);
	}

	private PendingRequests pendingRequests() {
		PendingRequests requests = this.requests;
		if (requests == null) {
			throw new IllegalStateException("Client '" + name() + "' cannot send requests: ws.clients." + name()
					+ ".correlation.request-id is not set; set it to the JSON Pointer of the id in a request "
					+ "(for example /id)");
		}
		return requests;
	}

	private CompletableFuture<Void> send(Object payload) {
		ClientConnection opening = ClientConnection.opening();
		if (opening != null && opening.client() == this) {
			return this.sendQueue.writeFirst(opening.connection(), payload);
		}
		if (this.readyGate.isHeld() && this.dispatcher.isListenerThread()) {
			// the protocol's handshake: listeners and replies pass the ready gate
			// (not for a connection whose opened event is still to come: its identify
			// goes first)
			ClientConnection connection = this.current;
			if (connection != null && connection.isOpen() && this.sendQueue.isOpenFor(connection.connection())) {
				return this.sendQueue.sendNow(connection.connection(), payload);
			}
		}
		WsClientState state = this.state;
		if (state == WsClientState.STANDBY) {
			return CompletableFuture.failedFuture(new WsSendException(name(),
					"Client '" + name() + "' is in STANDBY: another replica owns it (ws.clients." + name()
							+ ".cluster.singleton=true); send on the owning replica, see WsClientOwnershipEvent"));
		}
		if (state == WsClientState.CLOSED || state == WsClientState.CLOSING) {
			return CompletableFuture.failedFuture(new WsSendException.ClientClosed(name(),
					"Client '" + name() + "' is " + state
							+ ((this.closedByApplication) ? " (closed by the application)" : " (reconnecting gave up)")
							+ "; call connect() first"));
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
			if (this.ownership.inStandby()) {
				transition(WsClientState.STANDBY);
				return;
			}
			this.reconnects.reset();
			this.failedAttempts = 0;
			transition(WsClientState.CONNECTING);
			connection = newAttempt();
		}
		connection.start(this.transport);
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		return close(code, reason, this.factory.shutdownTimeout);
	}

	private CompletableFuture<Void> close(int code, String reason, Duration timeout) {
		ClientConnection connection;
		CompletableFuture<Void> closed;
		Replacement replacement;
		synchronized (this.lock) {
			replacement = takeReplacement();
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
				// also a client that was never started: later sends fail at once
				transition(WsClientState.CLOSED);
				failQueuedSends("closed by the application");
				Replacement.end(replacement);
				return CompletableFuture.completedFuture(null);
			}
			transition(WsClientState.CLOSING);
			closed = new CompletableFuture<>();
			this.closing = closed;
			// a listener awaiting it would otherwise wait for an event queued behind
			// itself
			this.closingFromListener = this.dispatcher.isDispatchingThread();
		}
		failQueuedSends("closed by the application");
		// no next connection follows
		Replacement.end(replacement);
		this.sendQueue.close(connection.connection(), () -> connection.close(code, reason, timeout));
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

	// protocols

	@Override
	public WsHeartbeat heartbeat(Duration interval, Supplier<?> beat) {
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(),
				() -> "Client '" + name() + "': the heartbeat interval must be positive, not " + interval);
		Assert.notNull(beat, "'beat' must not be null");
		ClientConnection connection = this.current;
		if (connection == null || !connection.isOpen()) {
			// the connection ended before the protocol's hello was handled: the next one
			// says hello again
			return new ProtocolHeartbeat(this.heartbeats, null, interval, beat);
		}
		ProtocolHeartbeat heartbeat = new ProtocolHeartbeat(this.heartbeats, connection, interval, beat);
		connection.attach(heartbeat);
		return heartbeat;
	}

	@Override
	public void redirect(URI url) {
		this.connectionUrl.redirect(url);
	}

	@Override
	public void resetUrl() {
		this.connectionUrl.reset();
	}

	@Override
	public CompletableFuture<Void> reconnect(int code, String reason) {
		Assert.isTrue(isSendableCloseCode(code), () -> "Client '" + name() + "': close code " + code
				+ " cannot be sent; use 1000, 1001-1003, 1007-1014 or 3000-4999");
		Assert.notNull(reason, "'reason' must not be null");
		synchronized (this.lock) {
			if (this.closing != null) {
				return this.closing;
			}
			if (this.state == WsClientState.RECONNECTING && this.current == null) {
				// waiting for a back-off delay: try now instead
				this.reconnects.cancel();
				this.factory.scheduler.execute(this::reconnect);
				return CompletableFuture.completedFuture(null);
			}
		}
		Replacement replacement = replace(code, reason);
		if (replacement != null) {
			return replacement.closed();
		}
		// an attempt under way goes on; a closed or new client connects
		connect();
		return CompletableFuture.completedFuture(null);
	}

	private static boolean isSendableCloseCode(int code) {
		return code == 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014)
				|| (code >= 3000 && code <= 4999);
	}

	@Override
	public void ready() {
		ClientConnection connection = this.current;
		if (connection == null || !connection.isOpen()) {
			return;
		}
		this.readyGate.release();
		this.announcer.ready();
	}

	@Override
	public void notReady(String reason) {
		Assert.hasText(reason, "'reason' must not be empty");
		this.readyGate.hold(reason);
	}

	@Override
	public boolean isReady() {
		return this.state == WsClientState.OPEN && !this.readyGate.isHeld();
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
			List<WsMessageListener> configured = this.factory.listenersFor(name(), this.shard);
			if (this.requests != null) {
				// replies first: a matched reply is consumed before any listener sees it
				List<WsMessageListener> withReplies = new java.util.ArrayList<>(configured.size() + 1);
				withReplies.add(this.requests);
				withReplies.addAll(configured);
				configured = withReplies;
			}
			listeners = List.copyOf(configured);
			this.listeners = listeners;
		}
		return listeners;
	}

	/**
	 * The handshake of {@code connection} succeeded; {@code false} when it is no longer
	 * wanted.
	 */
	boolean opened(ClientConnection connection) {
		Replacement replacement;
		synchronized (this.lock) {
			if (connection != this.current || this.closedByApplication) {
				return false;
			}
			this.failedAttempts = 0;
			this.readyGate.opened();
			transition(WsClientState.OPEN);
			replacement = takeReplacement();
		}
		this.announcer.opened(connection, () -> {
			this.sendQueue.open(connection.connection(), connection::isOpen);
			// a replacement is done once the application heard of the new connection
			Replacement.end(replacement);
		});
		return true;
	}

	/** An open connection ended (exactly once per connection). */
	void closed(ClientConnection connection, int code, String reason, long openNanos) {
		this.sendQueue.close(connection.connection());
		if (this.requests != null) {
			this.requests.connectionLost(code, reason);
		}
		boolean askPolicy;
		synchronized (this.lock) {
			askPolicy = connection == this.current && !this.closedByApplication && this.replacement == null
					&& this.decision.enabled();
		}
		// decided before anything is scheduled, outside the lock (the policy is
		// application code)
		String stop = askPolicy ? this.decision.afterClose(code, reason) : null;
		boolean reconnect;
		Replacement replacement;
		CompletableFuture<Void> closing;
		boolean fromListener;
		synchronized (this.lock) {
			if (connection != this.current) {
				return;
			}
			this.current = null;
			this.statistics.closed(code, reason);
			closing = this.closing;
			this.closing = null;
			fromListener = this.closingFromListener;
			// null when the application's close() ended the replacement
			replacement = this.replacement;
			reconnect = !this.closedByApplication && (replacement != null || (this.decision.enabled() && stop == null));
			if (openNanos >= STABLE.toNanos() || replacement != null) {
				this.reconnects.reset();
			}
			transition(reconnect ? WsClientState.RECONNECTING : WsClientState.CLOSED);
		}
		// close() completes once its closed event was published: awaiting it shows a
		// consistent view
		if (closing != null && fromListener) {
			closing.complete(null);
		}
		this.announcer.closed(code, reason, reconnect,
				(closing != null && !fromListener) ? () -> closing.complete(null) : null);
		if (replacement != null) {
			reconnectAtOnce();
			replacement.closed().complete(null);
		}
		else if (reconnect) {
			scheduleReconnect(null);
		}
		else if (stop != null) {
			this.announcer.stopped(code, reason, stop);
			failQueuedSends("reconnecting stopped: " + stop);
		}
		else if (!this.closedByApplication) {
			failQueuedSends("the connection closed with " + code + " and reconnect is disabled");
		}
	}

	/**
	 * The replaced connection closed: connect again now, without a back-off delay.
	 */
	private void reconnectAtOnce() {
		synchronized (this.lock) {
			if (this.closedByApplication) {
				return;
			}
			transition(WsClientState.RECONNECTING);
			this.announcer.reconnecting(1, Duration.ZERO);
		}
		// not on the transport thread that reported the close
		this.factory.scheduler.execute(this::reconnect);
	}

	/** A connection attempt failed before the handshake completed. */
	void failed(ClientConnection connection, Throwable cause) {
		Replacement replacement;
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
			replacement = takeReplacement();
		}
		Replacement.end(replacement);
		String stop = this.decision.afterFailure(cause, this.failedAttempts);
		if (stop != null) {
			giveUp(cause, stop);
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
					"gave up after " + this.decision.maxAttempts() + " attempts");
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
	 * Replace the open connection: close it with {@code code}, then connect again at once
	 * (no back-off delay, and the back-off starts over; the reconnect policy is not
	 * asked). Queued and new sends wait for the next connection. Serves
	 * {@link #reconnect(int, String)} and {@link RollingReconnect} (a reloaded SSL
	 * bundle).
	 * @param code the close code
	 * @param reason the close reason
	 * @return the replacement under way (a call during one joins it), or {@code null}
	 * when no connection is open or the application closed the client
	 */
	@Nullable Replacement replace(int code, String reason) {
		ClientConnection connection;
		Replacement replacement;
		synchronized (this.lock) {
			if (this.replacement != null) {
				return this.replacement;
			}
			connection = this.current;
			if (this.closedByApplication || this.closing != null || connection == null || !connection.isOpen()) {
				return null;
			}
			replacement = new Replacement();
			this.replacement = replacement;
			transition(WsClientState.RECONNECTING);
		}
		// new sends wait for the next connection; the close frame follows what is being
		// written
		this.sendQueue.close(connection.connection(),
				() -> connection.close(code, reason, this.factory.shutdownTimeout));
		return replacement;
	}

	/** The replacement under way, which ends now (called under the lock). */
	private @Nullable Replacement takeReplacement() {
		Replacement replacement = this.replacement;
		this.replacement = null;
		return replacement;
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
		ClientConnection connection = new ClientConnection(this, this.settings, this.connectionUrl,
				this.factory.handshakeCustomizers, this.statistics, this.dispatcher, this.factory.scheduler);
		this.current = connection;
		return connection;
	}

	private void failQueuedSends(String why) {
		this.sendQueue.failAll(() -> new WsSendException.ClientClosed(name(),
				"Client '" + name() + "': " + why + "; the message was not sent"));
	}

	private void transition(WsClientState state) {
		if (this.state != state) {
			this.state = state;
			this.since = Instant.now();
		}
	}

	// cluster ownership, driven through WsClientOwnership

	/** This replica owns the client now: a client waiting in STANDBY connects. */
	void grantOwnership() {
		boolean connect;
		synchronized (this.lock) {
			if (!this.ownership.grant()) {
				return;
			}
			connect = this.state == WsClientState.STANDBY;
		}
		this.ownership.announce(true);
		if (connect) {
			connect();
		}
	}

	/**
	 * Another replica may own the client now: close with 1001 (dropping the socket when
	 * the server does not answer within {@code timeout}), then wait in STANDBY.
	 */
	CompletableFuture<Void> revokeOwnership(Duration timeout) {
		boolean owned;
		boolean active;
		synchronized (this.lock) {
			owned = this.ownership.revoke();
			active = this.state != WsClientState.NEW && this.state != WsClientState.CLOSED
					&& this.state != WsClientState.STANDBY;
		}
		if (owned) {
			this.ownership.announce(false);
		}
		if (!active) {
			return CompletableFuture.completedFuture(null);
		}
		failQueuedSends("another replica took the client over");
		return close(1001, "Another replica owns this client", timeout).whenComplete((result, failure) -> {
			synchronized (this.lock) {
				if (this.ownership.isRevoked() && this.state == WsClientState.CLOSED) {
					this.closedByApplication = false;
					transition(WsClientState.STANDBY);
				}
			}
		});
	}

	/** {@code null} unless a cluster singleton; else whether this replica owns it. */
	@Nullable Boolean owner() {
		return this.ownership.owner();
	}

	@Override
	public Optional<WsShard> shard() {
		return Optional.ofNullable(this.shard);
	}

	/**
	 * The pool of buffers for binary messages, created on first use and kept across
	 * connections.
	 */
	BufferPool bufferPool() {
		BufferPool pool = this.bufferPool;
		if (pool == null) {
			pool = new BufferPool(this.settings.maxMessageSize());
			this.bufferPool = pool;
		}
		return pool;
	}

	/**
	 * How long a {@link #replace(int, String) replacement} may take: closing the open
	 * connection, then connecting again.
	 */
	Duration replacementTimeout() {
		return this.factory.shutdownTimeout.plus(this.settings.connectTimeout());
	}

	/** Have this client's durations reported to {@code recorder} ({@code null}: none). */
	void timingRecorder(@Nullable WsTimingRecorder recorder) {
		this.statistics.recorder(recorder);
	}

	@Override
	public Optional<WsClientSnapshot> snapshot() {
		return Optional.of(new WsClientSnapshot(name(), WsSecrets.mask(this.connectionUrl.inUse()), this.state,
				this.since, this.closedByApplication, this.failedAttempts, this.statistics.lastCloseCode,
				this.statistics.lastCloseReason, this.statistics.lastFailure, this.statistics.textReceived.sum(),
				this.statistics.binaryReceived.sum(), this.statistics.bytesReceived.sum(),
				this.sendQueue.textMessages.sum(), this.sendQueue.binaryMessages.sum(), this.sendQueue.bytes.sum(),
				this.statistics.reconnects.sum(), bufferedAmount(), latency().orElse(null), this.statistics.pongs.sum(),
				Duration.ofNanos(this.statistics.latencyTotalNanos.sum()), lastMessageReceived().orElse(null),
				subprotocol().orElse(null), this.ownership.owner(),
				new WsClientSnapshot.Protocol(isReady(),
						(this.state == WsClientState.OPEN) ? this.readyGate.notReadyReason() : null,
						this.statistics.heartbeats.sum(), Duration.ofNanos(this.statistics.heartbeatNanos.sum()))));
	}

	@Override
	public String toString() {
		return "WsClient[" + name() + ", " + WsSecrets.mask(url()) + ", " + this.state + "]";
	}

}
