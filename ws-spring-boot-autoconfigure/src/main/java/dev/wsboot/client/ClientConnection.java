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

import dev.wsboot.transport.Utf8;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsTransport;

/**
 * One connection attempt of a {@link ManagedWsClient}, and the connection it becomes: the
 * inbound size limit across fragments, reassembly and hand-off of messages to the
 * listeners, and how it ends. Its {@link LivenessWatchdog} pings and enforces the idle
 * deadline.
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

	private final AtomicBoolean ended = new AtomicBoolean();

	/**
	 * This connection as the source of its messages; one instance, handed over with every
	 * message.
	 */
	private final InboundDispatcher.Source source = new InboundDispatcher.Source() {

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

	private List<WsMessageListener> wholeListeners = List.of();

	private List<WsMessageListener> partialListeners = List.of();

	/**
	 * Where whole binary messages are copied when no listener keeps them; else
	 * {@code null}.
	 */
	private @Nullable BufferPool bufferPool;

	private @Nullable StringBuilder textParts;

	private @Nullable ByteBuffer binaryParts;

	private long messageBytes;

	/** Whether a fragmented message is being received (transport thread only). */
	private boolean fragmented;

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
		List<WsMessageListener> wholeListeners = new ArrayList<>();
		List<WsMessageListener> partialListeners = new ArrayList<>();
		for (WsMessageListener listener : this.client.listeners()) {
			(listener.isPartial() ? partialListeners : wholeListeners).add(listener);
		}
		this.wholeListeners = wholeListeners;
		this.partialListeners = partialListeners;
		if (partialListeners.isEmpty() && !wholeListeners.isEmpty()
				&& wholeListeners.stream().noneMatch(WsMessageListener::retainsMessage)) {
			this.bufferPool = this.client.bufferPool();
		}
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
		long bytes = Utf8.length(text);
		if (!this.partialListeners.isEmpty()) {
			dispatch(WsMessage.text(text, last), bytes, this.partialListeners);
		}
		if (last && !this.fragmented) {
			received(this.wholeListeners.isEmpty() ? null : WsMessage.text(text, true), bytes, true);
			return;
		}
		this.fragmented = !last;
		if (!withinLimit(bytes)) {
			return;
		}
		if (!this.wholeListeners.isEmpty()) {
			// assembled only for listeners that want whole messages
			if (this.textParts == null) {
				this.textParts = new StringBuilder(text.length() * 2);
			}
			this.textParts.append(text);
		}
		if (last) {
			StringBuilder parts = this.textParts;
			this.textParts = null;
			received((parts != null) ? WsMessage.text(parts.toString(), true) : null, messageEnded(), true);
		}
	}

	@Override
	public void onBinary(ByteBuffer data, boolean last) {
		touch();
		if (this.ended.get()) {
			return;
		}
		int bytes = data.remaining();
		if (last && !this.fragmented) {
			BufferPool pool = this.bufferPool;
			if (pool != null && pool.isPooled(bytes)) {
				// into a pooled buffer: every listener uses the bytes only during its
				// call
				ByteBuffer copy = pool.acquire(bytes).put(data).flip();
				received(WsMessage.pooledBinary(copy, pool), bytes, false);
				return;
			}
			// copied once, and only when a listener takes it: the transport reuses its
			// buffer
			ByteBuffer copy = (this.partialListeners.isEmpty() && this.wholeListeners.isEmpty()) ? null : copy(data);
			if (!this.partialListeners.isEmpty()) {
				dispatch(WsMessage.binary(copy, true), bytes, this.partialListeners);
			}
			received(this.wholeListeners.isEmpty() ? null : WsMessage.binary(copy, true), bytes, false);
			return;
		}
		this.fragmented = !last;
		if (!this.partialListeners.isEmpty()) {
			dispatch(WsMessage.binary(copy(data.duplicate()), last), bytes, this.partialListeners);
		}
		if (!withinLimit(bytes)) {
			return;
		}
		if (!this.wholeListeners.isEmpty()) {
			append(data);
		}
		if (last) {
			ByteBuffer parts = this.binaryParts;
			this.binaryParts = null;
			received((parts != null) ? WsMessage.binary(parts.flip(), true) : null, messageEnded(), false);
		}
	}

	/**
	 * Add a fragment to the binary message being assembled, growing its buffer by
	 * doubling.
	 */
	private void append(ByteBuffer data) {
		ByteBuffer parts = this.binaryParts;
		if (parts == null || parts.remaining() < data.remaining()) {
			int needed = (int) this.messageBytes;
			long doubled = 2L * Math.max(needed, (parts != null) ? parts.capacity() : 0);
			ByteBuffer grown = ByteBuffer
				.allocate((int) Math.max(needed, Math.min(this.settings.maxMessageSize(), doubled)));
			if (parts != null) {
				parts.flip();
				grown.put(parts);
			}
			parts = grown;
			this.binaryParts = parts;
		}
		parts.put(data);
	}

	/** The fragmented message ended: its size, and the count starts over. */
	private long messageEnded() {
		long size = this.messageBytes;
		this.messageBytes = 0;
		return size;
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

	private boolean withinLimit(long fragmentBytes) {
		this.messageBytes += fragmentBytes;
		long limit = this.settings.maxMessageSize();
		if (this.messageBytes <= limit) {
			return true;
		}
		this.textParts = null;
		this.binaryParts = null;
		fail(1009, "Message exceeds max-message-size (" + limit + " bytes)");
		return false;
	}

	/**
	 * A whole message arrived; {@code message} is {@code null} when nobody wanted it
	 * assembled.
	 */
	private void received(@Nullable WsMessage message, long bytes, boolean text) {
		ClientStatistics statistics = this.statistics;
		(text ? statistics.textReceived : statistics.binaryReceived).increment();
		statistics.bytesReceived.add(bytes);
		if (message != null) {
			dispatch(message, bytes, this.wholeListeners);
		}
	}

	private void dispatch(WsMessage message, long bytes, List<WsMessageListener> listeners) {
		this.dispatcher.submitMessage(message, listeners, bytes, this.source);
	}

	private static ByteBuffer copy(ByteBuffer data) {
		ByteBuffer copy = ByteBuffer.allocate(data.remaining());
		copy.put(data);
		return copy.flip();
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
