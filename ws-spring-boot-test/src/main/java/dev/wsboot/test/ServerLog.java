package dev.wsboot.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a server saw: handshakes, accepted connections and script failures, with the
 * waiting logic behind {@link WsTestServer#awaitConnections(int)}.
 */
final class ServerLog {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition connected = this.lock.newCondition();

	private final List<WsTestConnection> connections = new ArrayList<>();

	private final List<WsTestHandshake> handshakes = new ArrayList<>();

	private final List<Throwable> failures = new ArrayList<>();

	private int awaited;

	void addHandshake(WsTestHandshake handshake) {
		this.lock.lock();
		try {
			this.handshakes.add(handshake);
		}
		finally {
			this.lock.unlock();
		}
	}

	void addConnection(WsTestConnection connection) {
		this.lock.lock();
		try {
			this.connections.add(connection);
			this.connected.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	void addFailure(Throwable failure) {
		this.lock.lock();
		try {
			this.failures.add(failure);
		}
		finally {
			this.lock.unlock();
		}
	}

	List<WsTestConnection> connections() {
		this.lock.lock();
		try {
			return List.copyOf(this.connections);
		}
		finally {
			this.lock.unlock();
		}
	}

	List<WsTestHandshake> handshakes() {
		this.lock.lock();
		try {
			return List.copyOf(this.handshakes);
		}
		finally {
			this.lock.unlock();
		}
	}

	List<Throwable> failures() {
		this.lock.lock();
		try {
			return List.copyOf(this.failures);
		}
		finally {
			this.lock.unlock();
		}
	}

	void clear() {
		this.lock.lock();
		try {
			this.connections.clear();
			this.handshakes.clear();
			this.failures.clear();
			this.awaited = 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	List<WsTestConnection> awaitConnections(int count) {
		long remaining = Recording.TIMEOUT.toNanos();
		this.lock.lock();
		try {
			while (this.connections.size() < this.awaited + count) {
				if (remaining <= 0) {
					throw new AssertionError(
							"Expected " + count + " new connection(s) within " + Recording.format(Recording.TIMEOUT)
									+ " but got " + (this.connections.size() - this.awaited) + "; " + describe());
				}
				remaining = this.connected.awaitNanos(remaining);
			}
			List<WsTestConnection> result = List.copyOf(this.connections.subList(this.awaited, this.awaited + count));
			this.awaited += count;
			return result;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for connections", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private String describe() {
		StringBuilder description = new StringBuilder("received ").append(this.handshakes.size())
			.append(" handshake(s)");
		for (WsTestHandshake handshake : this.handshakes) {
			description.append("\n  GET ")
				.append(handshake.path())
				.append((handshake.query() != null) ? "?" + handshake.query() : "");
		}
		description.append("\naccepted ")
			.append(this.connections.size())
			.append(" connection(s), ")
			.append(this.awaited)
			.append(" already awaited");
		if (!this.failures.isEmpty()) {
			description.append("\nscript failures: ").append(this.failures);
		}
		return description.toString();
	}

}
