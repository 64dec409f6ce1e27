package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;

/**
 * One connection attempt of a {@link ManagedWsClient}, and the connection it becomes: our
 * own ping and idle deadline, the inbound size limit across fragments, reassembly and
 * hand-off of messages to the listeners.
 */
final class ClientConnection implements WsConnectionHandler {

	private static final Log logger = LogFactory.getLog(ClientConnection.class);

	private static final ThreadLocal<ClientConnection> OPENING = new ThreadLocal<>();

	private final ManagedWsClient client;

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile @Nullable WsConnection connection;

	private volatile boolean open;

	private volatile boolean abandoned;

	private long openedNanos;

	private volatile long lastReceivedNanos;

	private List<WsMessageListener> wholeListeners = List.of();

	private List<WsMessageListener> partialListeners = List.of();

	private @Nullable StringBuilder textParts;

	private @Nullable ByteBuffer binaryParts;

	private long messageBytes;

	private @Nullable ScheduledFuture<?> pingTask;

	private @Nullable ScheduledFuture<?> idleTask;

	private long pingCounter;

	private volatile long pingSentNanos;

	private volatile long pingId = -1;

	ClientConnection(ManagedWsClient client) {
		this.client = client;
	}

	static @Nullable ClientConnection opening() {
		return OPENING.get();
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
		if (!this.open) {
			return;
		}
		OPENING.set(this);
		try {
			publish.run();
		}
		finally {
			OPENING.remove();
		}
	}

	// transport callbacks

	@Override
	public void onOpen(WsConnection connection) {
		this.connection = connection;
		this.openedNanos = System.nanoTime();
		touch();
		List<WsMessageListener> wholeListeners = new ArrayList<>();
		List<WsMessageListener> partialListeners = new ArrayList<>();
		for (WsMessageListener listener : this.client.listeners()) {
			(listener.isPartial() ? partialListeners : wholeListeners).add(listener);
		}
		this.wholeListeners = wholeListeners;
		this.partialListeners = partialListeners;
		this.open = true;
		if (this.abandoned || !this.client.opened(this)) {
			this.open = false;
			this.ended.set(true);
			connection.abort();
			return;
		}
		startWatchdog();
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
		if (last && this.textParts == null) {
			received(WsMessage.text(text, true), bytes, true);
			return;
		}
		if (!withinLimit(bytes)) {
			return;
		}
		if (this.textParts == null) {
			this.textParts = new StringBuilder(text.length() * 2);
		}
		this.textParts.append(text);
		if (last) {
			String message = this.textParts.toString();
			this.textParts = null;
			long size = this.messageBytes;
			this.messageBytes = 0;
			received(WsMessage.text(message, true), size, true);
		}
	}

	@Override
	public void onBinary(ByteBuffer data, boolean last) {
		touch();
		if (this.ended.get()) {
			return;
		}
		int bytes = data.remaining();
		if (last && this.binaryParts == null) {
			ByteBuffer copy = copy(data);
			if (!this.partialListeners.isEmpty()) {
				dispatch(WsMessage.binary(copy, true), bytes, this.partialListeners);
			}
			received(WsMessage.binary(copy, true), bytes, false);
			return;
		}
		if (!this.partialListeners.isEmpty()) {
			dispatch(WsMessage.binary(copy(data.duplicate()), last), bytes, this.partialListeners);
		}
		if (!withinLimit(bytes)) {
			return;
		}
		ByteBuffer parts = this.binaryParts;
		if (parts == null || parts.remaining() < bytes) {
			int needed = (int) this.messageBytes;
			long doubled = 2L * Math.max(needed, (parts != null) ? parts.capacity() : 0);
			ByteBuffer grown = ByteBuffer.allocate((int) Math.max(needed, Math.min(this.client.settings.maxMessageSize(), doubled)));
			if (parts != null) {
				parts.flip();
				grown.put(parts);
			}
			parts = grown;
			this.binaryParts = parts;
		}
		parts.put(data);
		if (last) {
			parts.flip();
			this.binaryParts = null;
			long size = this.messageBytes;
			this.messageBytes = 0;
			received(WsMessage.binary(parts, true), size, false);
		}
	}

	@Override
	public void onPong(ByteBuffer payload) {
		touch();
		if (payload.remaining() == Long.BYTES && payload.getLong(payload.position()) == this.pingId) {
			this.client.statistics.pong(System.nanoTime() - this.pingSentNanos);
		}
	}

	@Override
	public void onClose(int code, String reason) {
		end(code, reason);
	}

	// inbound

	private void touch() {
		this.lastReceivedNanos = System.nanoTime();
		this.client.statistics.received();
	}

	private boolean withinLimit(long fragmentBytes) {
		this.messageBytes += fragmentBytes;
		long limit = this.client.settings.maxMessageSize();
		if (this.messageBytes <= limit) {
			return true;
		}
		this.textParts = null;
		this.binaryParts = null;
		fail(1009, "Message exceeds max-message-size (" + limit + " bytes)");
		return false;
	}

	private void received(WsMessage message, long bytes, boolean text) {
		ClientStatistics statistics = this.client.statistics;
		(text ? statistics.textReceived : statistics.binaryReceived).increment();
		statistics.bytesReceived.add(bytes);
		if (!this.wholeListeners.isEmpty()) {
			dispatch(message, bytes, this.wholeListeners);
		}
	}

	private void dispatch(WsMessage message, long bytes, List<WsMessageListener> listeners) {
		ManagedWsClient client = this.client;
		this.client.dispatcher.submitMessage(() -> {
			for (WsMessageListener listener : listeners) {
				try {
					listener.onMessage(message, client);
				}
				catch (RuntimeException ex) {
					logger.error("Client '" + client.name() + "': listener " + listener + " failed", ex);
				}
			}
		}, bytes);
	}

	private static ByteBuffer copy(ByteBuffer data) {
		ByteBuffer copy = ByteBuffer.allocate(data.remaining());
		copy.put(data);
		return copy.flip();
	}

	// liveness

	private void startWatchdog() {
		Duration ping = this.client.settings.pingInterval();
		if (!ping.isZero()) {
			this.pingTask = this.client.factory.scheduler.scheduleAtFixedRate(this::ping, ping.toNanos(),
					ping.toNanos(), TimeUnit.NANOSECONDS);
		}
		Duration idle = this.client.settings.idleTimeout();
		if (!idle.isZero()) {
			this.idleTask = this.client.factory.scheduler.schedule(this::checkIdle, idle.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void ping() {
		WsConnection connection = this.connection;
		if (!this.open || connection == null) {
			return;
		}
		long id = ++this.pingCounter;
		this.pingId = id;
		this.pingSentNanos = System.nanoTime();
		connection.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, id));
	}

	private void checkIdle() {
		if (!this.open) {
			return;
		}
		long idle = this.client.settings.idleTimeout().toNanos();
		if (this.client.dispatcher.isReadingPaused()) {
			touch();
		}
		long silent = System.nanoTime() - this.lastReceivedNanos;
		if (silent >= idle) {
			terminate("No frame received for " + this.client.settings.idleTimeout().toMillis() + " ms (idle-timeout)");
			return;
		}
		this.idleTask = this.client.factory.scheduler.schedule(this::checkIdle, idle - silent, TimeUnit.NANOSECONDS);
	}

	// ending

	/** Close as asked by the application; drop the socket when the peer does not answer in time. */
	void close(int code, String reason, Duration timeout) {
		WsConnection connection = this.connection;
		if (connection == null) {
			return;
		}
		connection.sendClose(code, reason);
		this.client.factory.scheduler.schedule(() -> terminate("close handshake timed out"), timeout.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/** Drop the socket without a close frame; the client reconnects as after any failure. */
	void terminate(String reason) {
		WsConnection connection = this.connection;
		if (connection != null && !this.ended.get()) {
			connection.abort();
		}
		end(1006, reason);
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

	private void end(int code, String reason) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		boolean wasOpen = this.open;
		this.open = false;
		cancel(this.pingTask);
		cancel(this.idleTask);
		if (wasOpen) {
			this.client.closed(this, code, reason, System.nanoTime() - this.openedNanos);
		}
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

}
