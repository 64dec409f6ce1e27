package dev.wsboot.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsTransport;

/**
 * One connection attempt of a {@link ManagedWsClient}, and the connection it becomes: the
 * handshake, whether it is open, and how it ends (the close handshake the application
 * asks for, termination, failure), reported to the client exactly once. Its
 * {@link LivenessWatchdog} pings and enforces the idle deadline; its
 * {@link InboundMessages} reassemble, count and hand over the messages it receives.
 */
final class ClientConnection implements WsConnectionHandler {

	private static final Log logger = LogFactory.getLog(ClientConnection.class);

	private static final ThreadLocal<ClientConnection> OPENING = new ThreadLocal<>();

	/**
	 * Threads publishing an opened event right now: while none is, every send skips the
	 * thread-local lookup (a miss costs a scan of the sending thread's map).
	 */
	private static final AtomicInteger OPENINGS = new AtomicInteger();

	private final ManagedWsClient client;

	private final WsClientSettings settings;

	/** Where each attempt connects to (the redirect, if any). */
	private final ConnectionUrl url;

	private final List<WsHandshakeCustomizer> handshakeCustomizers;

	private final ClientStatistics statistics;

	private final InboundDispatcher dispatcher;

	private final ScheduledExecutorService scheduler;

	private final InboundMessages messages;

	private final AtomicBoolean ended = new AtomicBoolean();

	/**
	 * This connection as the source of its messages; one instance, handed over with every
	 * message.
	 */
	private final InboundBudget.Source source = new InboundBudget.Source() {

		@Override
		public boolean hasEnded() {
			return ClientConnection.this.ended.get();
		}

		@Override
		public boolean pauseReading() {
			WsConnection connection = ClientConnection.this.connection;
			return connection != null && connection.pauseReading();
		}

		@Override
		public boolean mayHoldReader() {
			WsConnection connection = ClientConnection.this.connection;
			return connection == null || !connection.readsOnEventLoop();
		}

		@Override
		public void resumeReading() {
			WsConnection connection = ClientConnection.this.connection;
			if (connection != null) {
				connection.resumeReading();
			}
		}

	};

	private volatile @Nullable WsConnection connection;

	private volatile boolean open;

	private volatile boolean abandoned;

	private volatile @Nullable LivenessWatchdog watchdog;

	/**
	 * Drops the socket when the close handshake is not answered in time; cancelled when
	 * it ends.
	 */
	private volatile @Nullable ScheduledFuture<?> closeTimeout;

	/** The protocol heartbeat of this connection; guarded by {@code ended}'s monitor. */
	private @Nullable ProtocolHeartbeat heartbeat;

	private long openedNanos;

	ClientConnection(ManagedWsClient client, WsClientSettings settings, ConnectionUrl url,
			List<WsHandshakeCustomizer> handshakeCustomizers, ClientStatistics statistics, InboundDispatcher dispatcher,
			ScheduledExecutorService scheduler) {
		this.client = client;
		this.settings = settings;
		this.url = url;
		this.handshakeCustomizers = handshakeCustomizers;
		this.statistics = statistics;
		this.dispatcher = dispatcher;
		this.scheduler = scheduler;
		this.messages = new InboundMessages(settings.maxMessageSize(), statistics, dispatcher, this.source);
	}

	static @Nullable ClientConnection opening() {
		return (OPENINGS.get() != 0) ? OPENING.get() : null;
	}

	ManagedWsClient client() {
		return this.client;
	}

	WsConnection connection() {
		WsConnection connection = this.connection;
		if (connection == null) {
			throw new IllegalStateException("Not connected");
		}
		return connection;
	}

	boolean isOpen() {
		return this.open;
	}

	/** Run the opened-event listeners; what they send goes out before the queue. */
	void publishOpened(Runnable publish) {
		// published even when the connection ended meanwhile: every closed event of a
		// connection follows its opened event (sends from the listener then fail)
		OPENINGS.incrementAndGet();
		OPENING.set(this);
		try {
			publish.run();
		}
		finally {
			OPENING.remove();
			OPENINGS.decrementAndGet();
		}
	}

	/**
	 * Start this attempt: run the handshake customizers (for this attempt only) and
	 * connect. Whatever fails, a customizer included, fails the attempt.
	 * @param transport the transport to connect with
	 */
	void start(WsTransport transport) {
		CompletableFuture<WsConnection> future;
		try {
			future = transport.connect(request(), this);
		}
		catch (RuntimeException ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		future.whenComplete((open, failure) -> {
			if (failure != null) {
				this.client.failed(this, (failure instanceof CompletionException) ? failure.getCause() : failure);
			}
		});
	}

	private WsConnectRequest request() {
		WsClientSettings settings = this.settings;
		Map<String, List<String>> headers = new LinkedHashMap<>();
		settings.headers().forEach((header, value) -> headers.put(header, new ArrayList<>(List.of(value))));
		for (WsHandshakeCustomizer customizer : this.handshakeCustomizers) {
			customizer.customize(this.client, headers);
		}
		URI url = this.url.inUse();
		return new WsConnectRequest(url, settings.subprotocols(), settings.extensions(), headers,
				settings.connectTimeout(), settings.maxMessageSize(), settings.sslContext(),
				settings.proxy().select(url));
	}

	// transport callbacks

	@Override
	public void onOpen(WsConnection connection) {
		this.connection = connection;
		this.openedNanos = System.nanoTime();
		LivenessWatchdog watchdog = new LivenessWatchdog(this.scheduler, this.settings.pingInterval(),
				this.settings.idleTimeout(), this.statistics, this.dispatcher, this, connection);
		this.watchdog = watchdog;
		watchdog.received();
		this.messages.listeners(this.client.listeners(), this.client::bufferPool);
		this.open = true;
		if (this.abandoned || !this.client.opened(this)) {
			this.open = false;
			this.ended.set(true);
			connection.abort();
			return;
		}
		watchdog.start();
	}

	@Override
	public void onText(String text, boolean last) {
		touch();
		if (this.ended.get()) {
			return;
		}
		if (!this.messages.text(text, last)) {
			tooLarge();
		}
	}

	@Override
	public void onBinary(ByteBuffer data, boolean last) {
		touch();
		if (this.ended.get()) {
			return;
		}
		if (!this.messages.binary(data, last)) {
			tooLarge();
		}
	}

	@Override
	public void onPong(ByteBuffer payload) {
		LivenessWatchdog watchdog = this.watchdog;
		if (watchdog != null) {
			watchdog.pong(payload);
		}
	}

	@Override
	public void onClose(int code, String reason) {
		end(code, reason);
	}

	// inbound

	private void touch() {
		LivenessWatchdog watchdog = this.watchdog;
		if (watchdog != null) {
			watchdog.received();
		}
	}

	private void tooLarge() {
		fail(1009, "Message exceeds max-message-size (" + this.settings.maxMessageSize() + " bytes)");
	}

	// protocol

	/**
	 * Run a heartbeat on this connection, replacing the one it had; it is stopped at once
	 * when the connection ended already.
	 * @param heartbeat the heartbeat, not yet started
	 */
	void attach(ProtocolHeartbeat heartbeat) {
		synchronized (this.ended) {
			if (this.heartbeat != null) {
				this.heartbeat.stop();
			}
			if (this.ended.get()) {
				heartbeat.stop();
				return;
			}
			this.heartbeat = heartbeat;
			heartbeat.start();
		}
	}

	// ending

	/**
	 * Close as asked by the application; drop the socket when the peer does not answer in
	 * time.
	 */
	void close(int code, String reason, Duration timeout) {
		WsConnection connection = this.connection;
		if (connection == null) {
			return;
		}
		connection.sendClose(code, reason);
		this.closeTimeout = this.scheduler.schedule(() -> terminate("close handshake timed out"), timeout.toNanos(),
				TimeUnit.NANOSECONDS);
		if (this.ended.get()) {
			cancelCloseTimeout();
		}
	}

	private void cancelCloseTimeout() {
		ScheduledFuture<?> closeTimeout = this.closeTimeout;
		if (closeTimeout != null) {
			closeTimeout.cancel(false);
		}
	}

	/**
	 * Drop the socket without a close frame; the client reconnects as after any failure.
	 */
	void terminate(String reason) {
		WsConnection connection = this.connection;
		// end first: the transport reports the abort too, and our reason must win
		if (end(1006, reason) && connection != null) {
			connection.abort();
		}
	}

	/** Give up on an attempt that is still connecting. */
	void abandon() {
		this.abandoned = true;
		WsConnection connection = this.connection;
		if (connection != null) {
			terminate("closed by the application");
		}
	}

	private void fail(int code, String reason) {
		WsConnection connection = this.connection;
		if (connection != null && !this.ended.get()) {
			connection.sendClose(code, reason).whenComplete((result, failure) -> connection.abort());
		}
		end(code, reason);
	}

	/** End the connection once; {@code false} when it had ended already. */
	private boolean end(int code, String reason) {
		if (!this.ended.compareAndSet(false, true)) {
			return false;
		}
		// a transport thread waiting for listeners to catch up stops waiting
		this.dispatcher.connectionEnded();
		boolean wasOpen = this.open;
		this.open = false;
		LivenessWatchdog watchdog = this.watchdog;
		if (watchdog != null) {
			watchdog.stop();
		}
		cancelCloseTimeout();
		synchronized (this.ended) {
			if (this.heartbeat != null) {
				this.heartbeat.stop();
				this.heartbeat = null;
			}
		}
		if (wasOpen) {
			this.client.closed(this, code, reason, System.nanoTime() - this.openedNanos);
		}
		return true;
	}

}
