package dev.wsboot.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOffExecution;

import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.client.event.WsClientReconnectingEvent;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsTransport;

/**
 * The managed client behind each {@link WsClient} bean: the connection state machine,
 * reconnecting with back-off, the send queue and the lifecycle events. One
 * {@link ClientConnection} per attempt carries the per-connection work (liveness, inbound
 * assembly and dispatch).
 */
final class ManagedWsClient implements WsClient, SmartLifecycle {

	/** After the embedded web server started (so a client may point at its own app), before it stops. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/** A connection open at least this long resets the back-off. */
	private static final Duration STABLE = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ManagedWsClient.class);

	final WsClientSettings settings;

	final WsClientFactory factory;

	private final WsTransport transport;

	final SendQueue sendQueue;

	final InboundDispatcher dispatcher;

	private final Object lock = new Object();

	private volatile WsClientState state = WsClientState.NEW;

	private volatile Instant since = Instant.now();

	private @Nullable ClientConnection current;

	private @Nullable BackOffExecution backOff;

	private @Nullable ScheduledFuture<?> pendingAttempt;

	private boolean closedByApplication;

	private @Nullable CompletableFuture<Void> closing;

	private volatile int failedAttempts;

	private volatile int lastCloseCode;

	private volatile String lastCloseReason = "";

	private volatile @Nullable String lastFailure;

	private @Nullable List<WsMessageListener> listeners;

	final ClientStatistics statistics = new ClientStatistics();

	ManagedWsClient(WsClientFactory factory, String name) {
		this.factory = factory;
		this.settings = factory.settings.apply(name);
		this.transport = factory.transports.apply(this.settings.transport());
		this.sendQueue = new SendQueue(name, this.settings.sendBufferLimit(), this.settings.maxFragmentSize());
		long handOffBytes = Math.max(2 * this.settings.maxMessageSize(), 1024 * 1024);
		this.dispatcher = new InboundDispatcher(name, factory.listenerExecutor, 1024, handOffBytes);
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
		Object converted;
		try {
			Message<?> message = this.factory.messageConverter.toMessage(payload, null);
			if (message == null) {
				throw new IllegalArgumentException("No converter for " + payload.getClass().getName());
			}
			converted = message.getPayload();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(new WsSendException(name(), "Client '" + name()
					+ "': could not write " + payload.getClass().getName() + " as JSON: " + ex.getMessage(), ex));
		}
		return send((converted instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : converted);
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
		synchronized (this.lock) {
			if (this.state == WsClientState.CONNECTING || this.state == WsClientState.OPEN
					|| this.state == WsClientState.RECONNECTING) {
				return;
			}
			this.closedByApplication = false;
			this.backOff = null;
			this.failedAttempts = 0;
			transition(WsClientState.CONNECTING);
			attempt();
		}
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		ClientConnection connection;
		CompletableFuture<Void> closed;
		synchronized (this.lock) {
			this.closedByApplication = true;
			cancelPendingAttempt();
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
		logger.info("Client '" + name() + "' connected to " + WsSecrets.mask(url())
				+ connection.connection().subprotocol().map((p) -> " (subprotocol " + p + ")").orElse(""));
		WsClientOpenedEvent event = new WsClientOpenedEvent(this, connection.connection().subprotocol().orElse(null));
		this.dispatcher.submit(() -> {
			connection.publishOpened(() -> this.factory.publisher.publishEvent(event));
			this.sendQueue.open(connection.connection());
		});
		return true;
	}

	/** An open connection ended (exactly once per connection). */
	void closed(ClientConnection connection, int code, String reason, long openNanos) {
		this.sendQueue.close();
		boolean reconnect;
		CompletableFuture<Void> closing;
		synchronized (this.lock) {
			if (connection != this.current) {
				return;
			}
			this.current = null;
			this.lastCloseCode = code;
			this.lastCloseReason = reason;
			closing = this.closing;
			this.closing = null;
			reconnect = !this.closedByApplication && this.settings.reconnect().enabled();
			if (openNanos >= STABLE.toNanos()) {
				this.backOff = null;
			}
			transition(reconnect ? WsClientState.RECONNECTING : WsClientState.CLOSED);
		}
		logger.info("Client '" + name() + "' disconnected from " + WsSecrets.mask(url()) + " with " + code
				+ (reason.isEmpty() ? "" : " (" + reason + ")") + (reconnect ? ", reconnecting" : ""));
		WsClientClosedEvent event = new WsClientClosedEvent(this, code, reason, reconnect);
		this.dispatcher.submit(() -> this.factory.publisher.publishEvent(event));
		if (closing != null) {
			closing.complete(null);
		}
		if (reconnect) {
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
			this.lastFailure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
		}
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

	private void scheduleReconnect(@Nullable Throwable failure) {
		long delay;
		int attempt;
		synchronized (this.lock) {
			if (this.closedByApplication) {
				return;
			}
			if (this.backOff == null) {
				this.backOff = this.settings.reconnect().backOff().start();
			}
			delay = this.backOff.nextBackOff();
			if (delay != BackOffExecution.STOP) {
				delay = Math.max(delay, RetryAfter.millis(failure));
			}
			attempt = this.failedAttempts + 1;
			if (delay != BackOffExecution.STOP) {
				transition(WsClientState.RECONNECTING);
			}
		}
		if (delay == BackOffExecution.STOP) {
			giveUp((failure != null) ? failure : new IllegalStateException("connection lost"),
					"gave up after " + this.settings.reconnect().maxAttempts() + " attempts");
			return;
		}
		if (failure != null) {
			WsClientFailedEvent failedEvent = new WsClientFailedEvent(this, failure, true);
			this.dispatcher.submit(() -> this.factory.publisher.publishEvent(failedEvent));
			logger.debug("Client '" + name() + "': connection attempt failed: " + failure);
		}
		long chosenDelay = delay;
		Duration wait = Duration.ofMillis(delay);
		WsClientReconnectingEvent event = new WsClientReconnectingEvent(this, attempt, wait);
		this.dispatcher.submit(() -> {
			this.factory.publisher.publishEvent(event);
			synchronized (this.lock) {
				if (this.state == WsClientState.RECONNECTING && this.pendingAttempt == null && this.current == null) {
					logger.debug("Client '" + name() + "': reconnect attempt " + attempt + " in " + wait.toMillis() + " ms");
					this.pendingAttempt = this.factory.scheduler.schedule(this::reconnect, chosenDelay,
							TimeUnit.MILLISECONDS);
				}
			}
		});
	}

	private void reconnect() {
		synchronized (this.lock) {
			this.pendingAttempt = null;
			if (this.state != WsClientState.RECONNECTING || this.current != null) {
				return;
			}
			this.statistics.reconnects.increment();
			attempt();
		}
	}

	private void giveUp(Throwable cause, String why) {
		synchronized (this.lock) {
			transition(WsClientState.CLOSED);
		}
		logger.warn("Client '" + name() + "' stopped connecting to " + WsSecrets.mask(url()) + ": " + why
				+ " (last failure: " + cause + ")");
		WsClientFailedEvent event = new WsClientFailedEvent(this, cause, false);
		this.dispatcher.submit(() -> this.factory.publisher.publishEvent(event));
		failQueuedSends("reconnecting " + why);
	}

	private void attempt() {
		ClientConnection connection = new ClientConnection(this);
		this.current = connection;
		WsConnectRequest request = new WsConnectRequest(url(), this.settings.subprotocols(),
				this.settings.extensions(), handshakeHeaders(), this.settings.connectTimeout(),
				this.settings.maxMessageSize(), this.settings.sslContext());
		CompletableFuture<WsConnection> future;
		try {
			future = this.transport.connect(request, connection);
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		future.whenComplete((open, failure) -> {
			if (failure != null) {
				failed(connection, (failure instanceof java.util.concurrent.CompletionException) ? failure.getCause() : failure);
			}
		});
	}

	private Map<String, List<String>> handshakeHeaders() {
		Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
		this.settings.headers().forEach((header, value) -> headers.put(header, new java.util.ArrayList<>(List.of(value))));
		for (WsHandshakeCustomizer customizer : this.factory.handshakeCustomizers) {
			customizer.customize(this, headers);
		}
		return headers;
	}

	private void cancelPendingAttempt() {
		if (this.pendingAttempt != null) {
			this.pendingAttempt.cancel(false);
			this.pendingAttempt = null;
		}
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

	WsClientSnapshot snapshot() {
		return new WsClientSnapshot(name(), WsSecrets.mask(url()), this.state, this.since, this.closedByApplication,
				this.failedAttempts, this.lastCloseCode, this.lastCloseReason, this.lastFailure,
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
