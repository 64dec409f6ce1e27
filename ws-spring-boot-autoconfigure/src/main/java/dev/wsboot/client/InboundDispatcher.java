package dev.wsboot.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.SerialDrain;

/**
 * The bounded hand-off between a transport's threads and one client's listeners: messages
 * and lifecycle tasks run one at a time, in submission order, on the listener executor.
 * When the hand-off holds too many messages or bytes, reading of the connection pauses
 * (TCP backpressure) until the listeners have drained it to half: the message that did
 * not fit is still handed over, and so is the rest of what the transport had already read
 * (at most another budget's worth); the transport thread returns at once. Only a
 * transport that cannot pause reading ({@link Source#pauseReading()} is {@code false}),
 * or one that keeps delivering past that overflow, makes {@link #submitMessage} wait; an
 * event-loop thread ({@link Source#mayHoldReader()} is {@code false}) never waits, past
 * the overflow it hands over the rest of its socket read too. Lifecycle tasks are never
 * refused.
 * <p>
 * Lock-free on the way through: a linked queue whose nodes are the handed-over messages
 * (one allocation per message), a {@link SerialDrain} that starts a drain on the executor
 * only when none is running, and atomic budget counters; a producer parks only when the
 * budget and the overflow are exhausted or its transport cannot pause reading. A drain
 * that catches up with a busy feed (it started less than 20 µs after the last one ended)
 * yields its core for up to 20 µs waiting for the next message before it gives its thread
 * back, so a flood pays no executor hand-off and wake-up per message.
 */
final class InboundDispatcher {

	private static final Log logger = LogFactory.getLog(InboundDispatcher.class);

	private static final int MAX_MESSAGES = 1024;

	private static final long MIN_BYTES = 1024 * 1024;

	private static final long MAX_BYTES = 4 * 1024 * 1024;

	/**
	 * How long a drain that caught up with a busy feed waits for the next message,
	 * yielding its core, before it gives its thread back: a feed faster than that pays no
	 * executor hand-off and thread wake-up per message.
	 */
	private static final long LINGER_NANOS = 20_000;

	/**
	 * How long every drain waits for the next message before it gives its thread back
	 * ({@code ws.listener-spin}); 0: only a drain that caught up with a busy feed waits,
	 * for {@link #LINGER_NANOS}.
	 */
	private final long spinNanos;

	/**
	 * Whether the running drain lingers when it catches up: a spin is set, or the gap
	 * before it was shorter than {@link #LINGER_NANOS} (drain only).
	 */
	private boolean linger;

	/**
	 * The thread that handed the last node over (a plain write: a hint). A drain running
	 * on it, under an executor that runs tasks on the caller's thread, must not wait for
	 * a message only that thread could hand over.
	 */
	private @Nullable Thread lastProducer;

	/** When the last drain ended ({@link System#nanoTime()}; drain only). */
	private long drainEndedNanos = System.nanoTime() - LINGER_NANOS;

	private final String clientName;

	private final WsClient client;

	private final Executor executor;

	private final int maxMessages;

	private final long maxBytes;

	/** The last node handed over; producers swap themselves in. */
	private final AtomicReference<Node> tail;

	/** The node before the next one to run (drain only). */
	private Node head;

	/** Runs the listeners on the executor, one drain at a time. */
	private final SerialDrain drainer = new SerialDrain(this::drain);

	private final AtomicInteger queuedMessages = new AtomicInteger();

	private final AtomicLong queuedBytes = new AtomicLong();

	/** The producer waiting for room, if any (one at a time: see {@link #awaitRoom}). */
	private volatile @Nullable Thread waiter;

	/** The thread running this client's listeners and events right now, if any. */
	private volatile @Nullable Thread dispatching;

	/**
	 * The source whose reading this dispatcher paused, until the listeners drained to
	 * half.
	 */
	private final AtomicReference<@Nullable Source> pausedSource = new AtomicReference<>();

	/** When reading was last resumed after a pause ({@link System#nanoTime()}). */
	private volatile long readingResumedNanos = System.nanoTime();

	/**
	 * The dispatcher of a client: at most 1024 messages, and room for two messages of the
	 * largest size but no less than 1 MB and no more than 4 MB (a larger message is still
	 * handed over, alone). Partial listeners get fragments, so a message streamed to them
	 * is held a few megabytes at a time, whatever its size.
	 * @param client the client (handed to its listeners)
	 * @param executor runs the listeners
	 * @param maxMessageSize the client's {@code max-message-size}
	 * @param spin how long a drain waits for the next message ({@code ws.listener-spin})
	 * @return the dispatcher
	 */
	static InboundDispatcher forClient(WsClient client, Executor executor, long maxMessageSize, Duration spin) {
		return new InboundDispatcher(client, executor, MAX_MESSAGES,
				Math.min(Math.max(2 * maxMessageSize, MIN_BYTES), MAX_BYTES), spin);
	}

	InboundDispatcher(WsClient client, Executor executor, int maxMessages, long maxBytes) {
		this(client, executor, maxMessages, maxBytes, Duration.ZERO);
	}

	InboundDispatcher(WsClient client, Executor executor, int maxMessages, long maxBytes, Duration spin) {
		this.spinNanos = spin.toNanos();
		this.clientName = client.name();
		this.client = client;
		this.executor = executor;
		this.maxMessages = maxMessages;
		this.maxBytes = maxBytes;
		Node stub = new Node(null, List.of(), 0, null);
		this.head = stub;
		this.tail = new AtomicReference<>(stub);
	}

	/**
	 * Hand a message to listeners, waiting while the hand-off is full, but not past the
	 * end of the connection it came in on (the message is then dropped).
	 * @param message the message
	 * @param listeners the listeners to call, in order
	 * @param bytes the message's size
	 * @param sourceEnded whether the connection the message came in on has ended
	 */
	void submitMessage(WsMessage message, List<WsMessageListener> listeners, long bytes, BooleanSupplier sourceEnded) {
		if (!hasRoom(bytes) && !awaitRoom(bytes, sourceEnded)) {
			return;
		}
		this.queuedMessages.incrementAndGet();
		this.queuedBytes.addAndGet(bytes);
		enqueue(new Node(message, listeners, bytes, null));
	}

	/**
	 * Hand a message to listeners; when the hand-off is full, pause reading of its source
	 * and hand it over anyway, or, when the source cannot pause or the overflow is used
	 * up, wait for room, but not past the end of the source (the message is then
	 * dropped).
	 * @param message the message
	 * @param listeners the listeners to call, in order
	 * @param bytes the message's size
	 * @param source the connection the message came in on
	 */
	void submitMessage(WsMessage message, List<WsMessageListener> listeners, long bytes, Source source) {
		if (!hasRoom(bytes) && !pause(source, bytes) && !awaitRoom(bytes, source::hasEnded)) {
			return;
		}
		this.queuedMessages.incrementAndGet();
		this.queuedBytes.addAndGet(bytes);
		enqueue(new Node(message, listeners, bytes, null));
	}

	/**
	 * Hand a lifecycle task over; never waits.
	 * @param task the task
	 */
	void submit(Runnable task) {
		enqueue(new Node(null, List.of(), 0, task));
	}

	/**
	 * Whether a transport thread is waiting for room: reading is paused by this side, so
	 * silence on the connection says nothing about the peer.
	 * @return whether reading is paused
	 */
	boolean isReadingPaused() {
		return this.waiter != null || this.pausedSource.get() != null;
	}

	/**
	 * When reading was last resumed after a pause: silence before it says nothing about
	 * the peer.
	 * @return the {@link System#nanoTime()} of the last resume
	 */
	long readingResumedNanos() {
		return this.readingResumedNanos;
	}

	/**
	 * Pause reading of a source whose message does not fit, if it can and the overflow
	 * (another budget's worth) has room.
	 * @return whether the message is to be handed over now
	 */
	private boolean pause(Source source, long bytes) {
		if ((this.queuedMessages.get() >= 2 * this.maxMessages || this.queuedBytes.get() + bytes > 2 * this.maxBytes)
				&& source.mayHoldReader()) {
			// the transport keeps delivering: hold its thread after all (an event loop is
			// never held: what it still delivers is the rest of one socket read)
			return false;
		}
		// asked again for every message that does not fit: a resume racing with the last
		// pause may have turned reading back on
		if (!source.pauseReading()) {
			return false;
		}
		Source previous = this.pausedSource.getAndSet(source);
		if (previous != null && previous != source) {
			previous.resumeReading();
		}
		// checked after publishing the source: a drain that made room meanwhile either
		// sees it or happened before
		resumeIfDrained();
		return true;
	}

	private void resumeIfDrained() {
		if (this.pausedSource.get() != null && this.queuedMessages.get() <= this.maxMessages / 2
				&& this.queuedBytes.get() <= this.maxBytes / 2) {
			Source source = this.pausedSource.getAndSet(null);
			if (source != null) {
				this.readingResumedNanos = System.nanoTime();
				source.resumeReading();
			}
		}
	}

	private boolean hasRoom(long bytes) {
		int messages = this.queuedMessages.get();
		return messages == 0 || (messages < this.maxMessages && this.queuedBytes.get() + bytes <= this.maxBytes);
	}

	/**
	 * Park until the listeners made room; producers wait one after the other.
	 * @return {@code false} when the source connection ended meanwhile
	 */
	private synchronized boolean awaitRoom(long bytes, BooleanSupplier sourceEnded) {
		Thread current = Thread.currentThread();
		this.waiter = current;
		try {
			// checked after publishing the waiter: a release or an end either sees it or
			// happened before
			while (!hasRoom(bytes)) {
				if (sourceEnded.getAsBoolean()) {
					return false;
				}
				LockSupport.park(this);
				if (Thread.interrupted()) {
					current.interrupt();
					return true;
				}
			}
			return true;
		}
		finally {
			this.waiter = null;
		}
	}

	/**
	 * A connection ended: a transport thread waiting for room for one of its messages
	 * stops waiting (and drops it), so it is not held by listeners that are behind.
	 */
	void connectionEnded() {
		Source paused = this.pausedSource.get();
		if (paused != null && paused.hasEnded()) {
			this.pausedSource.compareAndSet(paused, null);
		}
		Thread waiter = this.waiter;
		if (waiter != null) {
			LockSupport.unpark(waiter);
		}
	}

	private void enqueue(Node node) {
		this.lastProducer = Thread.currentThread();
		Node previous = this.tail.getAndSet(node);
		previous.next = node;
		try {
			this.drainer.requestOn(this.executor);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Client '" + this.clientName + "': listener executor rejected work (shutting down)");
			discard();
		}
	}

	/** Run what was handed over, then linger if the feed is busy (drain only). */
	private void drain() {
		this.dispatching = Thread.currentThread();
		this.linger = (this.spinNanos > 0 || System.nanoTime() - this.drainEndedNanos < LINGER_NANOS)
				&& this.lastProducer != Thread.currentThread();
		try {
			do {
				Node node;
				while ((node = poll()) != null) {
					run(node);
				}
			}
			while (awaitMore());
		}
		finally {
			this.drainEndedNanos = System.nanoTime();
			this.dispatching = null;
		}
	}

	/**
	 * Wait up to {@link #LINGER_NANOS} (or the spin) for another message when the feed is
	 * busy (or a spin is set), yielding the core to the transport's threads meanwhile.
	 * @return whether one arrived
	 */
	private boolean awaitMore() {
		if (!this.linger) {
			return false;
		}
		long window = Math.max(this.spinNanos, LINGER_NANOS);
		long start = System.nanoTime();
		do {
			Thread.yield();
			if (this.head.next != null) {
				return true;
			}
		}
		while (System.nanoTime() - start < window);
		return false;
	}

	/**
	 * Whether the current thread runs this client's listeners and events right now: what
	 * it submits runs only after it returns, and what it sends is part of the protocol's
	 * handshake.
	 * @return whether the caller is this dispatcher's listener thread
	 */
	boolean isListenerThread() {
		return this.dispatching == Thread.currentThread();
	}

	private @Nullable Node poll() {
		Node previous = this.head;
		Node next = previous.next;
		if (next == null) {
			return null;
		}
		this.head = next;
		// unlinked (its producer is done with it): a dead node promoted to the old
		// generation would otherwise keep every later node alive through young
		// collections, and a flood would fill the old generation with handed-over
		// messages ("nepotism")
		previous.next = null;
		return next;
	}

	private void run(Node node) {
		WsMessage message = node.message;
		Runnable task = node.task;
		// the node stays as the queue's head: drop what it references
		node.message = null;
		node.task = null;
		try {
			if (task != null) {
				task.run();
			}
			else if (message != null) {
				for (WsMessageListener listener : node.listeners) {
					if (message.consumed) {
						// taken as the reply to a request: listeners do not see it
						break;
					}
					try {
						listener.onMessage(message, this.client);
					}
					catch (RuntimeException ex) {
						logger.error("Client '" + this.clientName + "': listener " + listener + " failed", ex);
					}
				}
			}
		}
		catch (Throwable ex) {
			logger.error("Client '" + this.clientName + "': unexpected error while dispatching", ex);
		}
		finally {
			if (message != null) {
				message.release();
				release(node.bytes);
			}
			node.listeners = List.of();
		}
	}

	private void release(long bytes) {
		this.queuedMessages.decrementAndGet();
		this.queuedBytes.addAndGet(-bytes);
		resumeIfDrained();
		Thread waiter = this.waiter;
		if (waiter != null) {
			LockSupport.unpark(waiter);
		}
	}

	/** The executor refused to run a drain: drop what waits and free the producer. */
	private void discard() {
		// no drain runs (this thread was to start one): this thread is the consumer
		Node node;
		while ((node = poll()) != null) {
			node.message = null;
			node.task = null;
		}
		this.drainer.reset();
		this.queuedMessages.set(0);
		this.queuedBytes.set(0);
		resumeIfDrained();
		Thread waiter = this.waiter;
		if (waiter != null) {
			LockSupport.unpark(waiter);
		}
	}

	/** Where handed-over messages come from: one connection. */
	interface Source {

		/**
		 * Whether the connection has ended.
		 * @return whether it ended
		 */
		boolean hasEnded();

		/**
		 * Pause reading without holding the calling thread.
		 * @return whether reading pauses; {@code false} when the transport cannot
		 */
		boolean pauseReading();

		/** Read again. */
		void resumeReading();

		/**
		 * Whether the thread delivering the message may wait for room once the overflow
		 * is used up: {@code false} for an event loop, which reads other connections too
		 * (the message is then taken: reading is paused, so what still comes is the rest
		 * of one socket read).
		 * @return {@code true} unless the transport reads on an event loop
		 */
		default boolean mayHoldReader() {
			return true;
		}

	}

	/** A message with its listeners, or a lifecycle task; the queue's link. */
	private static final class Node {

		@Nullable WsMessage message;

		List<WsMessageListener> listeners;

		final long bytes;

		@Nullable Runnable task;

		volatile @Nullable Node next;

		Node(@Nullable WsMessage message, List<WsMessageListener> listeners, long bytes, @Nullable Runnable task) {
			this.message = message;
			this.listeners = listeners;
			this.bytes = bytes;
			this.task = task;
		}

	}

}
