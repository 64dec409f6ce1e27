package dev.wsboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What one connection received: frames, reassembled messages, counters and whether the
 * TCP connection is gone, with the waiting logic behind the {@code await...} methods.
 */
final class Recording {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int DESCRIBED_FRAMES = 20;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final List<WsTestFrame> frames = new ArrayList<>();

	private final List<Message> messages = new ArrayList<>();

	private long receivedMessages;

	private long receivedBytes;

	private boolean closeReceived;

	private boolean disconnected;

	private String failure;

	/**
	 * A complete data message.
	 */
	record Message(boolean text, byte[] payload) {

		String asText() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	void addFrame(WsTestFrame frame) {
		update(() -> {
			this.frames.add(frame);
			this.closeReceived |= frame.isClose();
		});
	}

	void addMessage(boolean text, byte[] payload, long size, boolean record) {
		update(() -> {
			this.receivedMessages++;
			this.receivedBytes += size;
			if (record) {
				this.messages.add(new Message(text, payload));
			}
		});
	}

	void markDisconnected(String failure) {
		update(() -> {
			if (!this.disconnected) {
				this.disconnected = true;
				this.failure = failure;
			}
		});
	}

	private void update(Runnable change) {
		this.lock.lock();
		try {
			change.run();
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	<T> T read(Supplier<T> reader) {
		this.lock.lock();
		try {
			return reader.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	List<WsTestFrame> frames() {
		return read(() -> List.copyOf(this.frames));
	}

	private List<Message> messages() {
		return read(() -> List.copyOf(this.messages));
	}

	List<String> texts() {
		return messages().stream().filter(Message::text).map(Message::asText).toList();
	}

	List<byte[]> binaries() {
		return messages().stream().filter((message) -> !message.text()).map(Message::payload).toList();
	}

	long receivedMessages() {
		return read(() -> this.receivedMessages);
	}

	long receivedBytes() {
		return read(() -> this.receivedBytes);
	}

	boolean isCloseReceived() {
		return read(() -> this.closeReceived);
	}

	boolean isDisconnected() {
		return read(() -> this.disconnected);
	}

	/**
	 * Wait until a probe returns a non-{@code null} result. Fails as soon as the
	 * connection is gone and the probe still returns {@code null}, since nothing more can
	 * arrive.
	 * @param expectation what is awaited, for the failure message
	 * @param timeout how long to wait at most
	 * @param probe evaluated under the lock after every change
	 * @return the probe's result
	 */
	<T> T await(String expectation, Duration timeout, Supplier<T> probe) {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (true) {
				T result = probe.get();
				if (result != null) {
					return result;
				}
				if (this.disconnected) {
					throw new AssertionError("Expected " + expectation + " but the connection closed"
							+ ((this.failure != null) ? " (" + this.failure + ")" : "") + "; " + describe());
				}
				if (remaining <= 0) {
					throw new AssertionError(
							"Expected " + expectation + " within " + format(timeout) + " but timed out; " + describe());
				}
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for " + expectation + "; " + describe(), ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait until the connection is gone or the timeout elapses, without failing.
	 * @param timeout how long to wait at most
	 * @param condition an additional condition that also ends the wait, evaluated under
	 * the lock
	 */
	void awaitQuietly(Duration timeout, Supplier<Boolean> condition) {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (!this.disconnected && !condition.get() && remaining > 0) {
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait for the message at an index, for echoing.
	 * @param index the message index
	 * @return the message, or {@code null} once the connection is gone
	 * @throws InterruptedException when interrupted
	 */
	Message nextMessage(int index) throws InterruptedException {
		this.lock.lock();
		try {
			while (this.messages.size() <= index) {
				if (this.disconnected) {
					return null;
				}
				this.changed.await();
			}
			return this.messages.get(index);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Describe what was received, for failure messages. Must be called under the lock.
	 * @return a description
	 */
	String describe() {
		StringBuilder description = new StringBuilder("received ").append(this.frames.size()).append(" frame(s)");
		description.append(", ").append(this.receivedMessages).append(" data message(s)");
		if (!this.frames.isEmpty()) {
			description.append(':');
			int start = Math.max(0, this.frames.size() - DESCRIBED_FRAMES);
			if (start > 0) {
				description.append("\n  ... ").append(start).append(" earlier frame(s)");
			}
			for (int i = start; i < this.frames.size(); i++) {
				description.append("\n  ").append(this.frames.get(i));
			}
		}
		return description.toString();
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? TimeUnit.MILLISECONDS.toSeconds(millis) + "s" : millis + "ms";
	}

}
