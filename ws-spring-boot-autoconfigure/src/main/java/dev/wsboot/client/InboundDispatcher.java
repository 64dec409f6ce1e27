package dev.wsboot.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The bounded hand-off between a transport's threads and one client's listeners: tasks run
 * one at a time, in submission order, on the listener executor. When the hand-off holds
 * too many messages or bytes, {@link #submitMessage} waits: the transport stops reading
 * this connection (TCP backpressure) until the listeners catch up. Lifecycle tasks are
 * never refused.
 */
final class InboundDispatcher {

	private static final Log logger = LogFactory.getLog(InboundDispatcher.class);

	private static final int MAX_MESSAGES = 1024;

	private static final long MIN_BYTES = 1024 * 1024;

	private static final long MAX_BYTES = 4 * 1024 * 1024;

	private final String clientName;

	private final Executor executor;

	private final int maxMessages;

	private final long maxBytes;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	private final ArrayDeque<Task> tasks = new ArrayDeque<>();

	private long queuedBytes;

	private int queuedMessages;

	private boolean running;

	private volatile boolean waiting;

	private final Runnable drain = this::drain;

	/**
	 * The dispatcher of a client: at most 1024 messages, and room for two messages of the
	 * largest size but no less than 1 MB and no more than 4 MB (a larger message is still
	 * handed over, alone). Partial listeners get fragments, so a message streamed to them
	 * is held a few megabytes at a time, whatever its size.
	 * @param clientName the client's name
	 * @param executor runs the listeners
	 * @param maxMessageSize the client's {@code max-message-size}
	 * @return the dispatcher
	 */
	static InboundDispatcher forClient(String clientName, Executor executor, long maxMessageSize) {
		return new InboundDispatcher(clientName, executor, MAX_MESSAGES,
				Math.min(Math.max(2 * maxMessageSize, MIN_BYTES), MAX_BYTES));
	}

	InboundDispatcher(String clientName, Executor executor, int maxMessages, long maxBytes) {
		this.clientName = clientName;
		this.executor = executor;
		this.maxMessages = maxMessages;
		this.maxBytes = maxBytes;
	}

	/**
	 * Hand a message over, waiting while the hand-off is full.
	 * @param task delivers the message
	 * @param bytes the message's size
	 */
	void submitMessage(Runnable task, long bytes) {
		this.lock.lock();
		try {
			while (this.queuedMessages > 0
					&& (this.queuedMessages >= this.maxMessages || this.queuedBytes + bytes > this.maxBytes)) {
				this.waiting = true;
				try {
					this.notFull.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
				finally {
					this.waiting = false;
				}
			}
			this.queuedMessages++;
			this.queuedBytes += bytes;
			enqueue(new Task(task, bytes, true));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Hand a lifecycle task over; never waits.
	 * @param task the task
	 */
	void submit(Runnable task) {
		this.lock.lock();
		try {
			enqueue(new Task(task, 0, false));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether a transport thread is waiting for room: reading is paused by this side, so
	 * silence on the connection says nothing about the peer.
	 * @return whether reading is paused
	 */
	boolean isReadingPaused() {
		return this.waiting;
	}

	private void enqueue(Task task) {
		this.tasks.addLast(task);
		if (!this.running) {
			this.running = true;
			try {
				this.executor.execute(this.drain);
			}
			catch (RejectedExecutionException ex) {
				this.running = false;
				this.tasks.clear();
				logger.debug("Client '" + this.clientName + "': listener executor rejected work (shutting down)");
			}
		}
	}

	private void drain() {
		while (true) {
			Task task;
			this.lock.lock();
			try {
				task = this.tasks.pollFirst();
				if (task == null) {
					this.running = false;
					return;
				}
			}
			finally {
				this.lock.unlock();
			}
			try {
				task.runnable.run();
			}
			catch (Throwable ex) {
				logger.error("Client '" + this.clientName + "': unexpected error while dispatching", ex);
			}
			finally {
				if (task.message) {
					release(task.bytes);
				}
			}
		}
	}

	private void release(long bytes) {
		this.lock.lock();
		try {
			this.queuedMessages--;
			this.queuedBytes -= bytes;
			this.notFull.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	private record Task(Runnable runnable, long bytes, boolean message) {
	}

}
