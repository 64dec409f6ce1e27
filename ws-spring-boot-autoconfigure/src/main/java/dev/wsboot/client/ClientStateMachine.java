package dev.wsboot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsTransport;

/**
 * The connection state machine of one managed client, under the client's one lock: its
 * {@link WsClientState} and the current attempt ({@link ClientStatus}), and the moves
 * between them. This class starts connections: connect, an opened handshake, standing by
 * for {@link ClusterOwnership}; {@link ConnectionEnds} ends them (close, replace, what
 * each {@link ClientConnection} reports as closed or failed) and reconnects.
 * {@link ManagedWsClient} is its face to the application; {@link LifecycleAnnouncer}
 * tells what happens.
 */
final class ClientStateMachine {

	private final ClientStatus status;

	private final ConnectionEnds ends;

	private final SendQueue sendQueue;

	private final LifecycleAnnouncer announcer;

	private final ReadyGate readyGate;

	private final ClusterOwnership ownership;

	/**
	 * Create the state machine of a client.
	 * @param transport opens the connections
	 * @param attempts creates each attempt
	 * @param sendQueue the client's outbound messages
	 * @param dispatcher tells whether a close comes from a listener
	 * @param announcer logs and publishes the transitions
	 * @param statistics counts closes, failures and reconnects
	 * @param readyGate held again when a connection opens
	 * @param decision whether to reconnect
	 * @param reconnects when to reconnect
	 * @param ownership whether this replica owns the client
	 * @param scheduler the starter's timer
	 * @param shutdownTimeout how long a replaced connection waits for the closing
	 * handshake
	 */
	ClientStateMachine(WsTransport transport, Supplier<ClientConnection> attempts, SendQueue sendQueue,
			InboundDispatcher dispatcher, LifecycleAnnouncer announcer, ClientStatistics statistics,
			ReadyGate readyGate, ReconnectDecision decision, ReconnectSchedule reconnects, ClusterOwnership ownership,
			ScheduledExecutorService scheduler, Duration shutdownTimeout) {
		this.status = new ClientStatus(transport, attempts);
		this.ends = new ConnectionEnds(this.status, sendQueue, dispatcher, announcer, statistics, decision, reconnects,
				scheduler, shutdownTimeout);
		this.sendQueue = sendQueue;
		this.announcer = announcer;
		this.readyGate = readyGate;
		this.ownership = ownership;
	}

	WsClientState state() {
		return this.status.state();
	}

	/** When the client entered its state. */
	Instant since() {
		return this.status.since();
	}

	/** The attempt or connection under way, or {@code null}. */
	@Nullable ClientConnection current() {
		return this.status.current();
	}

	/** Whether the application closed the client (read without the lock). */
	boolean closedByApplication() {
		return this.status.closedByApplication();
	}

	/** The failed attempts since the last connection opened. */
	int failedAttempts() {
		return this.ends.failedAttempts();
	}

	/**
	 * Connect unless connected or connecting; wait in STANDBY when another replica owns
	 * the client.
	 */
	void connect() {
		ClientConnection connection;
		synchronized (this.status.lock()) {
			WsClientState state = this.status.state();
			if (state == WsClientState.CONNECTING || state == WsClientState.OPEN
					|| state == WsClientState.RECONNECTING) {
				return;
			}
			this.status.closedByApplication(false);
			if (this.ownership.inStandby()) {
				this.status.transition(WsClientState.STANDBY);
				return;
			}
			this.ends.restart();
			this.status.transition(WsClientState.CONNECTING);
			connection = this.status.newAttempt();
		}
		this.status.start(connection);
	}

	/**
	 * Close for good: no reconnecting until {@link #connect()}.
	 * @see ConnectionEnds#close(int, String, Duration)
	 */
	CompletableFuture<Void> close(int code, String reason, Duration timeout) {
		return this.ends.close(code, reason, timeout);
	}

	/** Drop the socket of the current connection, if any, without a close frame. */
	void terminate() {
		ClientConnection connection;
		synchronized (this.status.lock()) {
			connection = this.status.current();
		}
		if (connection != null) {
			connection.terminate("terminated by the application");
		}
	}

	/**
	 * Replace the open connection, try at once when waiting for a back-off delay, or
	 * connect a closed or new client ({@link WsClient#reconnect(int, String)}).
	 * @param code the close code, already checked
	 * @param reason the close reason
	 * @return completes when the next attempt was started
	 */
	CompletableFuture<Void> reconnect(int code, String reason) {
		CompletableFuture<Void> underWay = this.ends.reconnect(code, reason);
		if (underWay != null) {
			return underWay;
		}
		// an attempt under way goes on; a closed or new client connects
		connect();
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * Replace the open connection.
	 * @see ConnectionEnds#replace(int, String)
	 */
	@Nullable Replacement replace(int code, String reason) {
		return this.ends.replace(code, reason);
	}

	/**
	 * The handshake of {@code connection} succeeded; {@code false} when it is no longer
	 * wanted.
	 */
	boolean opened(ClientConnection connection) {
		Replacement replacement;
		synchronized (this.status.lock()) {
			if (connection != this.status.current() || this.status.closedByApplication()) {
				return false;
			}
			replacement = this.ends.opened();
			this.readyGate.opened();
			this.status.transition(WsClientState.OPEN);
		}
		this.announcer.opened(connection, () -> {
			this.sendQueue.open(connection.connection(), connection::isOpen);
			// a replacement is done once the application heard of the new connection
			Replacement.end(replacement);
		});
		return true;
	}

	/** An open connection ended (exactly once per connection). */
	void closed(ClientConnection connection, int code, String reason, long openNanos) {
		this.ends.closed(connection, code, reason, openNanos);
	}

	/** A connection attempt failed before the handshake completed. */
	void failed(ClientConnection connection, Throwable cause) {
		this.ends.failed(connection, cause);
	}

	// cluster ownership, driven through WsClientOwnership

	/** This replica owns the client now: a client waiting in STANDBY connects. */
	void grantOwnership() {
		boolean connect;
		synchronized (this.status.lock()) {
			if (!this.ownership.grant()) {
				return;
			}
			connect = this.status.state() == WsClientState.STANDBY;
		}
		this.ownership.announce(true);
		if (connect) {
			connect();
		}
	}

	/**
	 * Another replica may own the client now: close with 1001 (dropping the socket when
	 * the server does not answer within {@code timeout}), then wait in STANDBY.
	 */
	CompletableFuture<Void> revokeOwnership(Duration timeout) {
		boolean owned;
		boolean active;
		synchronized (this.status.lock()) {
			owned = this.ownership.revoke();
			WsClientState state = this.status.state();
			active = state != WsClientState.NEW && state != WsClientState.CLOSED && state != WsClientState.STANDBY;
		}
		if (owned) {
			this.ownership.announce(false);
		}
		if (!active) {
			return CompletableFuture.completedFuture(null);
		}
		this.sendQueue.failAll("another replica took the client over");
		return close(1001, "Another replica owns this client", timeout).whenComplete((result, failure) -> {
			synchronized (this.status.lock()) {
				if (this.ownership.isRevoked() && this.status.state() == WsClientState.CLOSED) {
					this.status.closedByApplication(false);
					this.status.transition(WsClientState.STANDBY);
				}
			}
		});
	}

}
