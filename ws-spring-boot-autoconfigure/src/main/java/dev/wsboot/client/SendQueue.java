package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.SerialDrain;
import dev.wsboot.transport.Utf8;
import dev.wsboot.transport.WsConnection;

/**
 * The outbound side of one client: an ordered queue bounded by bytes, written to the
 * current connection while its gate is open. Messages are fragmented at
 * {@code max-fragment-size}. Writes are issued by one thread at a time (a
 * {@link SerialDrain} elects the writer), pipelined, and never block.
 */
final class SendQueue {

	private final String clientName;

	private final long limit;

	private final int maxFragmentSize;

	private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();

	/**
	 * Messages for a given connection that go out at once, ahead of the queue and past
	 * the ready gate.
	 */
	private final ConcurrentLinkedQueue<Outbound> urgent = new ConcurrentLinkedQueue<>();

	/** Whether the ready gate holds the queue (the connection is open but not ready). */
	private volatile boolean held;

	private final AtomicLong buffered = new AtomicLong();

	private final SerialDrain writer = new SerialDrain(this::writeQueued);

	/** Where queued messages go; {@code null} while there is no open connection. */
	private final AtomicReference<@Nullable WsConnection> connection = new AtomicReference<>();

	final LongAdder textMessages = new LongAdder();

	final LongAdder binaryMessages = new LongAdder();

	final LongAdder bytes = new LongAdder();

	SendQueue(String clientName, long limit, long maxFragmentSize) {
		this.clientName = clientName;
		this.limit = limit;
		this.maxFragmentSize = (int) Math.min(Integer.MAX_VALUE, maxFragmentSize);
	}

	/**
	 * Queue a message and write it if the gate is open.
	 * @param payload a {@link CharSequence} or a {@link ByteBuffer}
	 * @return completes when written
	 */
	CompletableFuture<Void> enqueue(Object payload) {
		Outbound message = new Outbound(payload);
		if (!reserve(message)) {
			return message.future;
		}
		if (this.queue.isEmpty() && this.writer.tryEnter()) {
			// nothing queued and no writer: this thread writes it at once, without a trip
			// through the queue (what was queued meanwhile is written by exit(), after
			// it)
			WsConnection target = this.connection.get();
			if (target != null && !this.held && this.urgent.isEmpty() && this.queue.isEmpty()) {
				write(target, message);
			}
			else {
				this.queue.offer(message);
				writeQueued();
			}
			this.writer.exit();
			return message.future;
		}
		this.queue.offer(message);
		this.writer.request();
		return message.future;
	}

	/**
	 * Write a message at once, ahead of the queue, on a connection whose gate is still
	 * closed (used by opened-event listeners, which run before the gate opens).
	 * @param connection the connection being opened
	 * @param payload a {@link CharSequence} or a {@link ByteBuffer}
	 * @return completes when written
	 */
	CompletableFuture<Void> writeFirst(WsConnection connection, Object payload) {
		return sendNow(connection, payload);
	}

	/**
	 * Write a message at once to the given connection, ahead of queued messages and past
	 * the ready gate: the protocol's handshake and heartbeats. It fails when that
	 * connection has ended.
	 * @param connection the connection it belongs to
	 * @param payload a {@link CharSequence} or a {@link ByteBuffer}
	 * @return completes when written
	 */
	CompletableFuture<Void> sendNow(WsConnection connection, Object payload) {
		Outbound message = new Outbound(payload, connection);
		if (!reserve(message)) {
			return message.future;
		}
		this.urgent.offer(message);
		this.writer.request();
		return message.future;
	}

	/**
	 * Hold queued messages (the ready gate is closed) or write them again.
	 * @param held whether to hold them
	 */
	void hold(boolean held) {
		boolean wasHeld = this.held;
		this.held = held;
		if (wasHeld && !held) {
			this.writer.request();
		}
	}

	/**
	 * Whether queued messages go to the given connection (its opened event was handled).
	 * @param connection the connection
	 * @return whether the queue writes to it
	 */
	boolean isOpenFor(WsConnection connection) {
		return this.connection.get() == connection;
	}

	private boolean reserve(Outbound message) {
		long after = this.buffered.addAndGet(message.size);
		if (after > this.limit) {
			this.buffered.addAndGet(-message.size);
			message.future.completeExceptionally(new WsSendException.BufferFull(this.clientName,
					"Client '" + this.clientName + "': a " + message.size
							+ "-byte message would exceed send-buffer-limit (" + this.limit + " bytes, "
							+ (after - message.size) + " buffered); slow down or raise ws.clients." + this.clientName
							+ ".send-buffer-limit"));
			return false;
		}
		return true;
	}

	/**
	 * Start writing queued messages to the given connection, unless it ended already (the
	 * messages then wait for the next one).
	 * @param connection the connection
	 * @param isOpen whether the connection is still open; once it answers {@code false}
	 * for good, {@link #close(WsConnection)} follows or has happened
	 */
	void open(WsConnection connection, BooleanSupplier isOpen) {
		if (!isOpen.getAsBoolean()) {
			return;
		}
		this.connection.set(connection);
		if (!isOpen.getAsBoolean()) {
			// ended between the check and the assignment: its close may have come first
			close(connection);
			return;
		}
		this.writer.request();
	}

	/**
	 * Stop writing to the given connection; queued messages wait for the next one.
	 * @param connection the connection that ended
	 */
	void close(WsConnection connection) {
		this.connection.compareAndSet(connection, null);
	}

	/**
	 * Stop writing to the given connection, then run {@code closing} (which sends its
	 * close frame) in turn with the writes: after any message being written to it, never
	 * concurrently, so that no data frame follows the close frame (the peer would drop
	 * it). Queued messages wait for the next connection.
	 * @param connection the connection to close
	 * @param closing sends the close frame; must not block
	 */
	void close(WsConnection connection, Runnable closing) {
		close(connection);
		this.urgent.offer(new Outbound(closing, connection));
		this.writer.request();
	}

	/**
	 * Fail every queued message with a {@link WsSendException.ClientClosed}.
	 * @param why why the client will not send them
	 */
	void failAll(String why) {
		Outbound message;
		while ((message = this.queue.poll()) != null) {
			this.buffered.addAndGet(-message.size);
			message.future.completeExceptionally(new WsSendException.ClientClosed(this.clientName,
					"Client '" + this.clientName + "': " + why + "; the message was not sent"));
		}
	}

	long buffered() {
		return this.buffered.get();
	}

	/** Write what is urgent, then the queue while the gate is open (writer only). */
	private void writeQueued() {
		WsConnection target = this.connection.get();
		while (true) {
			Outbound urgent = this.urgent.poll();
			if (urgent != null) {
				if (urgent.payload instanceof Runnable closing) {
					closing.run();
				}
				else {
					write(urgent.target, urgent);
				}
				continue;
			}
			if (target == null || target != this.connection.get() || this.held) {
				return;
			}
			Outbound message = this.queue.poll();
			if (message == null) {
				return;
			}
			write(target, message);
		}
	}

	private void write(WsConnection target, Outbound message) {
		CompletableFuture<Void> written;
		try {
			Object payload = message.payload;
			if (payload instanceof PendingRequests.RequestText request) {
				// from here on the request is on this connection: its end fails the
				// request at once
				request.writing();
				payload = request.text();
			}
			written = (payload instanceof ByteBuffer data) ? writeBinary(target, data.duplicate())
					: writeText(target, (CharSequence) payload, message.size);
		}
		catch (RuntimeException ex) {
			written = CompletableFuture.failedFuture(ex);
		}
		written.whenComplete((result, failure) -> completed(message, failure));
	}

	private CompletableFuture<Void> writeBinary(WsConnection target, ByteBuffer data) {
		if (data.remaining() <= this.maxFragmentSize) {
			return target.sendBinary(data, true);
		}
		CompletableFuture<Void> last = null;
		while (data.remaining() > this.maxFragmentSize) {
			ByteBuffer fragment = data.slice();
			fragment.limit(this.maxFragmentSize);
			data.position(data.position() + this.maxFragmentSize);
			target.sendBinary(fragment, false);
		}
		last = target.sendBinary(data, true);
		return last;
	}

	private CompletableFuture<Void> writeText(WsConnection target, CharSequence text, long utf8Length) {
		if (utf8Length <= this.maxFragmentSize) {
			return target.sendText(text, true);
		}
		int start = 0;
		int length = text.length();
		while (true) {
			int end = Utf8.fragmentEnd(text, start, this.maxFragmentSize);
			boolean last = end == length;
			CompletableFuture<Void> sent = target.sendText(text.subSequence(start, end), last);
			if (last) {
				return sent;
			}
			start = end;
		}
	}

	private void completed(Outbound message, @Nullable Throwable failure) {
		this.buffered.addAndGet(-message.size);
		if (failure != null) {
			Throwable cause = (failure instanceof java.util.concurrent.CompletionException) ? failure.getCause()
					: failure;
			message.future.completeExceptionally(new WsSendException(this.clientName,
					"Client '" + this.clientName + "': the connection failed before the message was written", cause));
			return;
		}
		if (message.payload instanceof ByteBuffer) {
			this.binaryMessages.increment();
		}
		else {
			this.textMessages.increment();
		}
		this.bytes.add(message.size);
		message.future.complete(null);
	}

	private static final class Outbound {

		final Object payload;

		final long size;

		final CompletableFuture<Void> future = new CompletableFuture<>();

		/**
		 * The connection of an urgent message or close ({@code payload} is then the
		 * {@link Runnable} that sends the close frame), {@code null} for queued ones.
		 */
		final @Nullable WsConnection target;

		Outbound(Object payload) {
			this(payload, null);
		}

		Outbound(Object payload, @Nullable WsConnection target) {
			this.payload = payload;
			this.target = target;
			this.size = (payload instanceof ByteBuffer data) ? data.remaining()
					: (payload instanceof CharSequence text) ? Utf8.length(text) : 0;
		}

	}

}
