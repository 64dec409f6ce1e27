package dev.wsboot.client;

import java.time.Instant;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsTransport;

/**
 * The state of one managed client under its one lock: its {@link WsClientState} and since
 * when, the attempt or connection under way, and whether the application closed it.
 * Shared by the two halves of the connection state machine, which take the lock
 * themselves: {@link ClientStateMachine} starts connections, {@link ConnectionEnds} ends
 * them and reconnects. The state, the current connection and the closed flag are also
 * read without the lock (sends, the snapshot).
 */
final class ClientStatus {

	private final Object lock = new Object();

	private final WsTransport transport;

	/** Creates the next attempt (not started). */
	private final Supplier<ClientConnection> attempts;

	private volatile WsClientState state = WsClientState.NEW;

	private volatile Instant since = Instant.now();

	private volatile @Nullable ClientConnection current;

	private volatile boolean closedByApplication;

	/**
	 * Create the state of a new client.
	 * @param transport opens the connections
	 * @param attempts creates each attempt
	 */
	ClientStatus(WsTransport transport, Supplier<ClientConnection> attempts) {
		this.transport = transport;
		this.attempts = attempts;
	}

	/** The client's one lock. */
	Object lock() {
		return this.lock;
	}

	WsClientState state() {
		return this.state;
	}

	/** When the client entered its state. */
	Instant since() {
		return this.since;
	}

	/** Move to {@code state} (called under the lock). */
	void transition(WsClientState state) {
		if (this.state != state) {
			this.state = state;
			this.since = Instant.now();
		}
	}

	/** The attempt or connection under way, or {@code null}. */
	@Nullable ClientConnection current() {
		return this.current;
	}

	/**
	 * A new attempt, made current (called under the lock); {@link #start started} by the
	 * caller after it released the lock.
	 */
	ClientConnection newAttempt() {
		ClientConnection connection = this.attempts.get();
		this.current = connection;
		return connection;
	}

	/** Start an attempt made by {@link #newAttempt()}, outside the lock. */
	void start(ClientConnection connection) {
		connection.start(this.transport);
	}

	/** No attempt or connection is under way any more (called under the lock). */
	void clearCurrent() {
		this.current = null;
	}

	/** Whether the application closed the client (read without the lock). */
	boolean closedByApplication() {
		return this.closedByApplication;
	}

	/** Set whether the application closed the client (called under the lock). */
	void closedByApplication(boolean closedByApplication) {
		this.closedByApplication = closedByApplication;
	}

}
