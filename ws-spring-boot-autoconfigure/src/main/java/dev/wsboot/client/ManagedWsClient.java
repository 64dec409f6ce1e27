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

/**
 * The managed client behind each {@link WsClient} bean: its face to the application and
 * the Spring lifecycle. It builds the client's parts and hands each what it uses: the
 * {@link ClientStateMachine} and {@link ConnectionEnds} share the one lock and the
 * connection state machine (connect; close, replace, reconnect); one
 * {@link ClientConnection} per attempt carries the per-connection work (handshake,
 * liveness, how it ends; its {@link InboundMessages} the inbound assembly and dispatch);
 * the {@link SendQueue} holds outbound messages across connections and
 * {@link LifecycleAnnouncer} logs and publishes what happens.
 */
final class ManagedWsClient implements WsClient, SmartLifecycle {

	/**
	 * After the embedded web server started (so a client may point at its own app),
	 * before it stops.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private final WsClientSettings settings;

	/** Writes {@link #sendObject(Object)} payloads as JSON. */
	private final Function<Object, String> json;

	/** How long a close waits for the closing handshake. */
	private final Duration shutdownTimeout;

	private final SendQueue sendQueue;

	private final InboundDispatcher dispatcher;

	private final LifecycleAnnouncer announcer;

	private final ClusterOwnership ownership;

	/** The connection state machine, under the client's one lock. */
	private final ClientStateMachine connections;

	private final ClientListeners listeners;

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

	ManagedWsClient(WsClientSettings settings, @Nullable WsShard shard, ClientSupport support) {
		this.settings = settings;
		this.shard = shard;
		this.json = support.json();
		this.shutdownTimeout = support.shutdownTimeout();
		String name = settings.name();
		this.sendQueue = new SendQueue(name, this.settings.sendBufferLimit(), this.settings.maxFragmentSize());
		this.dispatcher = InboundDispatcher.forClient(this, support.listenerExecutor(), this.settings.maxMessageSize(),
				support.listenerSpin());
		this.connectionUrl = new ConnectionUrl(name, this.settings.url());
		this.readyGate = new ReadyGate(this.settings.readyOn(), this.sendQueue);
		this.announcer = new LifecycleAnnouncer(this, this.dispatcher, support.publisher(), this.connectionUrl::inUse);
		this.requests = PendingRequests.of(this, this.statistics, this.settings.correlation(),
				new PendingRequests.Support(support.scheduler(), support.messageConverter(), this.json,
						support.jsonParser()));
		this.listeners = new ClientListeners(support.listeners(), this.requests);
		this.ownership = new ClusterOwnership(this, support.ownership(), this.dispatcher, support.publisher());
		this.heartbeats = new ProtocolHeartbeat.Support(name, support.scheduler(), this.statistics, this.dispatcher,
				this.sendQueue, this.json);
		this.connections = new ClientStateMachine(support.transport(),
				() -> new ClientConnection(this, this.settings, this.connectionUrl,
						support.handshakeCustomizers().get(), this.statistics, this.dispatcher, support.scheduler()),
				this.sendQueue, this.dispatcher, this.announcer, this.statistics, this.readyGate,
				new ReconnectDecision(this, this.settings.reconnect(), support.reconnectPolicy()),
				new ReconnectSchedule(this.settings.reconnect(), support.scheduler()), this.ownership,
				support.scheduler(), this.shutdownTimeout);
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
		return this.connections.state();
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
			json = this.json.apply(payload);
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
			ClientConnection connection = this.connections.current();
			if (connection != null && connection.isOpen() && this.sendQueue.isOpenFor(connection.connection())) {
				return this.sendQueue.sendNow(connection.connection(), payload);
			}
		}
		WsClientState state = this.connections.state();
		if (state == WsClientState.STANDBY) {
			return CompletableFuture.failedFuture(new WsSendException(name(),
					"Client '" + name() + "' is in STANDBY: another replica owns it (ws.clients." + name()
							+ ".cluster.singleton=true); send on the owning replica, see WsClientOwnershipEvent"));
		}
		if (state == WsClientState.CLOSED || state == WsClientState.CLOSING) {
			String why = (this.connections.closedByApplication()) ? " (closed by the application)"
					: " (reconnecting gave up)";
			return CompletableFuture.failedFuture(new WsSendException.ClientClosed(name(),
					"Client '" + name() + "' is " + state + why + "; call connect() first"));
		}
		return this.sendQueue.enqueue(payload);
	}

	@Override
	public void connect() {
		this.connections.connect();
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		return this.connections.close(code, reason, this.shutdownTimeout);
	}

	@Override
	public void terminate() {
		this.connections.terminate();
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
		ClientConnection connection = this.connections.current();
		return (connection != null && connection.isOpen()) ? connection.connection().subprotocol() : Optional.empty();
	}

	@Override
	public List<String> extensions() {
		ClientConnection connection = this.connections.current();
		return (connection != null && connection.isOpen()) ? connection.connection().extensions() : List.of();
	}

	// protocols

	@Override
	public WsHeartbeat heartbeat(Duration interval, Supplier<?> beat) {
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(),
				() -> "Client '" + name() + "': the heartbeat interval must be positive, not " + interval);
		Assert.notNull(beat, "'beat' must not be null");
		ClientConnection connection = this.connections.current();
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
		return this.connections.reconnect(code, reason);
	}

	private static boolean isSendableCloseCode(int code) {
		return code == 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014)
				|| (code >= 3000 && code <= 4999);
	}

	@Override
	public void ready() {
		ClientConnection connection = this.connections.current();
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
		return this.connections.state() == WsClientState.OPEN && !this.readyGate.isHeld();
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
		WsClientState state = this.connections.state();
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
		return this.listeners.get();
	}

	/**
	 * The handshake of {@code connection} succeeded; {@code false} when it is no longer
	 * wanted.
	 */
	boolean opened(ClientConnection connection) {
		return this.connections.opened(connection);
	}

	/** An open connection ended (exactly once per connection). */
	void closed(ClientConnection connection, int code, String reason, long openNanos) {
		this.sendQueue.close(connection.connection());
		if (this.requests != null) {
			this.requests.connectionLost(code, reason);
		}
		this.connections.closed(connection, code, reason, openNanos);
	}

	/** A connection attempt failed before the handshake completed. */
	void failed(ClientConnection connection, Throwable cause) {
		this.connections.failed(connection, cause);
	}

	/**
	 * Replace the open connection (a reloaded SSL bundle, {@link RollingReconnect}).
	 * @see ConnectionEnds#replace(int, String)
	 */
	@Nullable Replacement replace(int code, String reason) {
		return this.connections.replace(code, reason);
	}

	// cluster ownership, driven through WsClientOwnership

	/** This replica owns the client now: a client waiting in STANDBY connects. */
	void grantOwnership() {
		this.connections.grantOwnership();
	}

	/**
	 * Another replica may own the client now: close with 1001, then wait in STANDBY.
	 */
	CompletableFuture<Void> revokeOwnership(Duration timeout) {
		return this.connections.revokeOwnership(timeout);
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
		return this.shutdownTimeout.plus(this.settings.connectTimeout());
	}

	/** Have this client's durations reported to {@code recorder} ({@code null}: none). */
	void timingRecorder(@Nullable WsTimingRecorder recorder) {
		this.statistics.recorder(recorder);
	}

	@Override
	public Optional<WsClientSnapshot> snapshot() {
		return Optional.of(new WsClientSnapshot(name(), WsSecrets.mask(this.connectionUrl.inUse()),
				this.connections.state(), this.connections.since(), this.connections.closedByApplication(),
				this.connections.failedAttempts(), this.statistics.lastCloseCode, this.statistics.lastCloseReason,
				this.statistics.lastFailure, this.statistics.textReceived.sum(), this.statistics.binaryReceived.sum(),
				this.statistics.bytesReceived.sum(), this.sendQueue.textMessages.sum(),
				this.sendQueue.binaryMessages.sum(), this.sendQueue.bytes.sum(), this.statistics.reconnects.sum(),
				bufferedAmount(), latency().orElse(null), this.statistics.pongs.sum(),
				Duration.ofNanos(this.statistics.latencyTotalNanos.sum()), lastMessageReceived().orElse(null),
				subprotocol().orElse(null), this.ownership.owner(),
				new WsClientSnapshot.Protocol(isReady(),
						(this.connections.state() == WsClientState.OPEN) ? this.readyGate.notReadyReason() : null,
						this.statistics.heartbeats.sum(), Duration.ofNanos(this.statistics.heartbeatNanos.sum()))));
	}

	@Override
	public String toString() {
		return "WsClient[" + name() + ", " + WsSecrets.mask(url()) + ", " + this.connections.state() + "]";
	}

}
