package dev.wsboot.client;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * How much one client's {@link InboundDispatcher} holds: the messages and bytes handed
 * over and not yet run by the listeners. When the hand-off holds too many messages or
 * bytes, reading of the connection pauses (TCP backpressure) until the listeners have
 * drained it to half: the message that did not fit is still handed over, and so is the
 * rest of what the transport had already read (at most another budget's worth); the
 * transport thread returns at once. Only a transport that cannot pause reading
 * ({@link Source#pauseReading()} is {@code false}), or one that keeps delivering past
 * that overflow, makes {@link InboundDispatcher#submitMessage} wait; an event-loop thread
 * ({@link Source#mayHoldReader()} is {@code false}) never waits, past the overflow it
 * hands over the rest of its socket read too. Lifecycle tasks are not counted.
 * <p>
 * Lock-free while there is room: atomic counters; a producer parks only when the budget
 * and the overflow are exhausted or its transport cannot pause reading.
 */
final class InboundBudget {

	private static final int MAX_MESSAGES = 1024;

	private static final long MIN_BYTES = 1024 * 1024;

	private static final long MAX_BYTES = 4 * 1024 * 1024;

	private final int maxMessages;

	private final long maxBytes;

	private final AtomicInteger queuedMessages = new AtomicInteger();

	private final AtomicLong queuedBytes = new AtomicLong();

	/** The producer waiting for room, if any (one at a time: see {@link #awaitRoom}). */
	private volatile @Nullable Thread waiter;

	/**
	 * The source whose reading this budget paused, until the listeners drained to half.
	 */
	private final AtomicReference<@Nullable Source> pausedSource = new AtomicReference<>();

	/**
	 * When reading was last resumed after a pause or a wait for room
	 * ({@link System#nanoTime()}).
	 */
	private volatile long readingResumedNanos = System.nanoTime();

	/**
	 * The budget of a client: at most 1024 messages, and room for two messages of the
	 * largest size but no less than 1 MB and no more than 4 MB (a larger message is still
	 * handed over, alone). Partial listeners get fragments, so a message streamed to them
	 * is held a few megabytes at a time, whatever its size.
	 * @param maxMessageSize the client's {@code max-message-size}
	 * @return the budget
	 */
	static InboundBudget forMaxMessageSize(long maxMessageSize) {
		return new InboundBudget(MAX_MESSAGES, Math.min(Math.max(2 * maxMessageSize, MIN_BYTES), MAX_BYTES));
	}

	InboundBudget(int maxMessages, long maxBytes) {
		this.maxMessages = maxMessages;
		this.maxBytes = maxBytes;
	}

	/**
	 * Count a message in; when the hand-off is full, pause reading of its source and
	 * count it anyway, or, when the source cannot pause or the overflow is used up, wait
	 * for room, but not past the end of the source.
	 * @param bytes the message's size
	 * @param source the connection the message came in on
	 * @return whether the message is to be handed over; {@code false}: drop it
	 */
	boolean acquire(long bytes, Source source) {
		if (!hasRoom(bytes) && !pause(source, bytes) && !awaitRoom(bytes, source)) {
			return false;
		}
		this.queuedMessages.incrementAndGet();
		this.queuedBytes.addAndGet(bytes);
		return true;
	}

	/**
	 * The listeners are done with a message: count it out, resume reading at half and
	 * wake a waiting producer.
	 * @param bytes the message's size
	 */
	void release(long bytes) {
		this.queuedMessages.decrementAndGet();
		this.queuedBytes.addAndGet(-bytes);
		resumeIfDrained();
		unparkWaiter();
	}

	/**
	 * Everything handed over was dropped: count it all out, resume reading and wake a
	 * waiting producer.
	 */
	void clear() {
		this.queuedMessages.set(0);
		this.queuedBytes.set(0);
		resumeIfDrained();
		unparkWaiter();
	}

	/**
	 * Whether reading is paused by this side (the source was asked to pause, or a
	 * transport thread is waiting for room), so silence on the connection says nothing
	 * about the peer.
	 * @return whether reading is paused
	 */
	boolean isReadingPaused() {
		return this.waiter != null || this.pausedSource.get() != null;
	}

	/**
	 * When reading was last resumed after a pause or a wait for room: silence before it
	 * says nothing about the peer.
	 * @return the {@link System#nanoTime()} of the last resume
	 */
	long readingResumedNanos() {
		return this.readingResumedNanos;
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
		unparkWaiter();
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
	 * Park until the listeners made room; producers wait one after the other (on this
	 * budget's monitor).
	 * @return {@code false} when the source connection ended meanwhile
	 */
	private synchronized boolean awaitRoom(long bytes, Source source) {
		Thread current = Thread.currentThread();
		this.waiter = current;
		try {
			// checked after publishing the waiter: a release or an end either sees it or
			// happened before
			while (!hasRoom(bytes)) {
				if (source.hasEnded()) {
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
			// not read while waiting: the liveness watchdog counts silence from here
			this.readingResumedNanos = System.nanoTime();
			this.waiter = null;
		}
	}

	/** Wake the producer waiting for room, if any: it checks again. */
	private void unparkWaiter() {
		Thread waiter = this.waiter;
		if (waiter != null) {
			LockSupport.unpark(waiter);
		}
	}

	/**
	 * Where handed-over messages come from: one connection, whose reading the budget
	 * pauses and resumes.
	 */
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

}
