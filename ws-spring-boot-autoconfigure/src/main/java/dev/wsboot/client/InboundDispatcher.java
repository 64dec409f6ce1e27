package dev.wsboot.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.SerialDrain;

/**
 * The bounded hand-off between a transport's threads and one client's listeners: messages
 * and lifecycle tasks run one at a time, in submission order, on the listener executor.
 * How many messages and bytes it holds, and when reading of the connection pauses or the
 * transport thread waits for room, is up to its {@link InboundBudget}. Lifecycle tasks
 * are never refused.
 * <p>
 * Lock-free on the way through: a linked queue whose nodes are the handed-over messages
 * (one allocation per message), a {@link SerialDrain} that starts a drain on the executor
 * only when none is running, and the budget's atomic counters. A drain that catches up
 * with a busy feed (it started less than 20 µs after the last one ended) yields its core
 * for up to 20 µs waiting for the next message before it gives its thread back, so a
 * flood pays no executor hand-off and wake-up per message.
 */
final class InboundDispatcher {

	private static final Log logger = LogFactory.getLog(InboundDispatcher.class);

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

	/** Counts what is handed over and not yet run; pauses reading when it is full. */
	private final InboundBudget budget;

	/** The last node handed over; producers swap themselves in. */
	private final AtomicReference<Node> tail;

	/** The node before the next one to run (drain only). */
	private Node head;

	/** Runs the listeners on the executor, one drain at a time. */
	private final SerialDrain drainer = new SerialDrain(this::drain);

	/** The thread running this client's listeners and events right now, if any. */
	private volatile @Nullable Thread dispatching;

	/**
	 * The dispatcher of a client, with its budget
	 * ({@link InboundBudget#forMaxMessageSize}).
	 * @param client the client (handed to its listeners)
	 * @param executor runs the listeners
	 * @param maxMessageSize the client's {@code max-message-size}
	 * @param spin how long a drain waits for the next message ({@code ws.listener-spin})
	 * @return the dispatcher
	 */
	static InboundDispatcher forClient(WsClient client, Executor executor, long maxMessageSize, Duration spin) {
		return new InboundDispatcher(client, executor, InboundBudget.forMaxMessageSize(maxMessageSize), spin);
	}

	InboundDispatcher(WsClient client, Executor executor, InboundBudget budget, Duration spin) {
		this.spinNanos = spin.toNanos();
		this.clientName = client.name();
		this.client = client;
		this.executor = executor;
		this.budget = budget;
		Node stub = new Node(null, List.of(), 0, null);
		this.head = stub;
		this.tail = new AtomicReference<>(stub);
	}

	/**
	 * Hand a message to listeners once the budget took it: at once (pausing reading of
	 * its source when full) or after waiting for room, but not past the end of the source
	 * (the message is then dropped).
	 * @param message the message
	 * @param listeners the listeners to call, in order
	 * @param bytes the message's size
	 * @param source the connection the message came in on
	 */
	void submitMessage(WsMessage message, List<WsMessageListener> listeners, long bytes, InboundBudget.Source source) {
		if (this.budget.acquire(bytes, source)) {
			enqueue(new Node(message, listeners, bytes, null));
		}
	}

	/**
	 * Hand a lifecycle task over; never waits.
	 * @param task the task
	 */
	void submit(Runnable task) {
		enqueue(new Node(null, List.of(), 0, task));
	}

	/** Whether reading is paused: see {@link InboundBudget#isReadingPaused()}. */
	boolean isReadingPaused() {
		return this.budget.isReadingPaused();
	}

	/** When reading was last resumed: see {@link InboundBudget#readingResumedNanos()}. */
	long readingResumedNanos() {
		return this.budget.readingResumedNanos();
	}

	/** A connection ended: see {@link InboundBudget#connectionEnded()}. */
	void connectionEnded() {
		this.budget.connectionEnded();
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
		// read once per drain, not once per message
		InboundBudget budget = this.budget;
		this.dispatching = Thread.currentThread();
		this.linger = (this.spinNanos > 0 || System.nanoTime() - this.drainEndedNanos < LINGER_NANOS)
				&& this.lastProducer != Thread.currentThread();
		try {
			do {
				Node node;
				while ((node = poll()) != null) {
					run(node, budget);
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

	private void run(Node node, InboundBudget budget) {
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
				budget.release(node.bytes);
			}
			node.listeners = List.of();
		}
	}

	/** The executor refused to run a drain: drop what waits and free the producer. */
	private void discard() {
		// no drain runs (this thread was to start one): this thread is the consumer
		Node node;
		while ((node = poll()) != null) {
			WsMessage message = node.message;
			if (message != null) {
				// a pooled binary goes back to the pool
				message.release();
			}
			node.message = null;
			node.task = null;
		}
		this.drainer.reset();
		this.budget.clear();
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
