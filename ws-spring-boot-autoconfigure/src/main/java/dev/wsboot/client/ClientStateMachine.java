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
 * {@link WsClientState}, the current attempt, a close or a {@link Replacement} under way,
 * and the moves between them: connect, close, replace, what each {@link ClientConnection}
 * reports (opened, failed, closed), reconnecting on the {@link ReconnectSchedule} as
 * {@link ReconnectDecision} allows, and standing by for {@link ClusterOwnership}.
 * {@link ManagedWsClient} is its face to the application; {@link LifecycleAnnouncer}
 * tells what happens.
 */
final class ClientStateMachine {

	/** A connection open at least this long resets the back-off. */
	private static final Duration STABLE = Duration.ofSeconds(10);

	private final String name;

	private final WsTransport transport;

	/** Creates the next attempt (not started). */
	private final Supplier<ClientConnection> attempts;

	private final SendQueue sendQueue;

	private final InboundDispatcher dispatcher;

	private final LifecycleAnnouncer announcer;

	private final ClientStatistics statistics;

	private final ReadyGate readyGate;

	private final ReconnectDecision decision;

	private final ReconnectSchedule reconnects;

	private final ClusterOwnership ownership;

	private final ScheduledExecutorService scheduler;

	private final Duration shutdownTimeout;

	private final Object lock = new Object();

	private volatile WsClientState state = WsClientState.NEW;

	private volatile Instant since = Instant.now();

	private volatile @Nullable ClientConnection current;

	private volatile boolean closedByApplication;

	private @Nullable CompletableFuture<Void> closing;

	/**
	 * The replacement of the open connection under way ({@link #replace(int, String)}),
	 * until the next connection opened or its attempt failed.
	 */
	private @Nullable Replacement replacement;

	/**
	 * Whether {@link #closing} completes before the closed event (closed from a
	 * listener).
	 */
	private boolean closingFromListener;

	private volatile int failedAttempts;

	/**
	 * Create the state machine of a client.
	 * @param name the client's name, for messages
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
	 * @param shutdownTimeout how long a close waits for the closing handshake
	 */
	ClientStateMachine(String name, WsTransport transport, Supplier<ClientConnection> attempts, SendQueue sendQueue,
			InboundDispatcher dispatcher, LifecycleAnnouncer announcer, ClientStatistics statistics,
			ReadyGate readyGate, ReconnectDecision decision, ReconnectSchedule reconnects, ClusterOwnership ownership,
			ScheduledExecutorService scheduler, Duration shutdownTimeout) {
		this.name = name;
		this.transport = transport;
		this.attempts = attempts;
		this.sendQueue = sendQueue;
		this.dispatcher = dispatcher;
		this.announcer = announcer;
		this.statistics = statistics;
		this.readyGate = readyGate;
		this.decision = decision;
		this.reconnects = reconnects;
		this.ownership = ownership;
		this.scheduler = scheduler;
		this.shutdownTimeout = shutdownTimeout;
	}

	WsClientState state() {
		return this.state;
	}

	/** When the client entered its state. */
	Instant since() {
		return this.since;
	}

	/** The attempt or connection under way, or {@code null}. */
	@Nullable ClientConnection current() {
		return this.current;
	}

	/** Whether the application closed the client (read without the lock). */
	boolean closedByApplication() {
		return this.closedByApplication;
	}

	/** The failed attempts since the last connection opened. */
	int failedAttempts() {
		return this.failedAttempts;
	}

	/**
	 * Connect unless connected or connecting; wait in STANDBY when another replica owns
	 * the client.
	 */
	void connect() {
		ClientConnection connection;
		synchronized (this.lock) {
			if (this.state == WsClientState.CONNECTING || this.state == WsClientState.OPEN
					|| this.state == WsClientState.RECONNECTING) {
				return;
			}
			this.closedByApplication = false;
			if (this.ownership.inStandby()) {
				transition(WsClientState.STANDBY);
				return;
			}
			this.reconnects.reset();
			this.failedAttempts = 0;
			transition(WsClientState.CONNECTING);
			connection = newAttempt();
		}
		connection.start(this.transport);
	}

	/**
	 * Close for good: no reconnecting until {@link #connect()}.
	 * @param code the close code
	 * @param reason the close reason
	 * @param timeout how long to wait for the closing handshake before dropping the
	 * socket
	 * @return completes once the closed event was published
	 */
	CompletableFuture<Void> close(int code, String reason, Duration timeout) {
		ClientConnection connection;
		CompletableFuture<Void> closed;
		Replacement replacement;
		synchronized (this.lock) {
			replacement = takeReplacement();
			this.closedByApplication = true;
			this.reconnects.cancel();
			if (this.closing != null) {
				return this.closing;
			}
			connection = this.current;
			if (connection == null || !connection.isOpen()) {
				if (connection != null) {
					connection.abandon();
					this.current = null;
				}
				// also a client that was never started: later sends fail at once
				transition(WsClientState.CLOSED);
				failQueuedSends("closed by the application");
				Replacement.end(replacement);
				return CompletableFuture.completedFuture(null);
			}
			transition(WsClientState.CLOSING);
			closed = new CompletableFuture<>();
			this.closing = closed;
			// a listener awaiting it would otherwise wait for an event queued behind
			// itself
			this.closingFromListener = this.dispatcher.isListenerThread();
		}
		failQueuedSends("closed by the application");
		// no next connection follows
		Replacement.end(replacement);
		this.sendQueue.close(connection.connection(), () -> connection.close(code, reason, timeout));
		return closed;
	}

	/** Drop the socket of the current connection, if any, without a close frame. */
	void terminate() {
		ClientConnection connection;
		synchronized (this.lock) {
			connection = this.current;
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
		synchronized (this.lock) {
			if (this.closing != null) {
				return this.closing;
			}
			if (this.state == WsClientState.RECONNECTING && this.current == null) {
				// waiting for a back-off delay: try now instead
				this.reconnects.cancel();
				this.scheduler.execute(this::reconnect);
				return CompletableFuture.completedFuture(null);
			}
		}
		Replacement replacement = replace(code, reason);
		if (replacement != null) {
			return replacement.closed();
		}
		// an attempt under way goes on; a closed or new client connects
		connect();
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * The handshake of {@code connection} succeeded; {@code false} when it is no longer
	 * wanted.
	 */
	boolean opened(ClientConnection connection) {
		Replacement replacement;
		synchronized (this.lock) {
			if (connection != this.current || this.closedByApplication) {
				return false;
			}
			this.failedAttempts = 0;
			this.readyGate.opened();
			transition(WsClientState.OPEN);
			replacement = takeReplacement();
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
		boolean askPolicy;
		synchronized (this.lock) {
			askPolicy = connection == this.current && !this.closedByApplication && this.replacement == null
					&& this.decision.enabled();
		}
		// decided before anything is scheduled, outside the lock (the policy is
		// application code)
		String stop = askPolicy ? this.decision.afterClose(code, reason) : null;
		boolean reconnect;
		Replacement replacement;
		CompletableFuture<Void> closing;
		boolean fromListener;
		synchronized (this.lock) {
			if (connection != this.current) {
				return;
			}
			this.current = null;
			this.statistics.closed(code, reason);
			closing = this.closing;
			this.closing = null;
			fromListener = this.closingFromListener;
			// null when the application's close() ended the replacement
			replacement = this.replacement;
			reconnect = !this.closedByApplication && (replacement != null || (this.decision.enabled() && stop == null));
			if (openNanos >= STABLE.toNanos() || replacement != null) {
				this.reconnects.reset();
			}
			transition(reconnect ? WsClientState.RECONNECTING : WsClientState.CLOSED);
		}
		// close() completes once its closed event was published: awaiting it shows a
		// consistent view
		if (closing != null && fromListener) {
			closing.complete(null);
		}
		this.announcer.closed(code, reason, reconnect,
				(closing != null && !fromListener) ? () -> closing.complete(null) : null);
		if (replacement != null) {
			reconnectAtOnce();
			replacement.closed().complete(null);
		}
		else if (reconnect) {
			scheduleReconnect(null);
		}
		else if (stop != null) {
			this.announcer.stopped(code, reason, stop);
			failQueuedSends("reconnecting stopped: " + stop);
		}
		else if (!this.closedByApplication) {
			failQueuedSends("the connection closed with " + code + " and reconnect is disabled");
		}
	}

	/**
	 * The replaced connection closed: connect again now, without a back-off delay.
	 */
	private void reconnectAtOnce() {
		synchronized (this.lock) {
			if (this.closedByApplication) {
				return;
			}
			transition(WsClientState.RECONNECTING);
			this.announcer.reconnecting(1, Duration.ZERO);
		}
		// not on the transport thread that reported the close
		this.scheduler.execute(this::reconnect);
	}

	/** A connection attempt failed before the handshake completed. */
	void failed(ClientConnection connection, Throwable cause) {
		Replacement replacement;
		synchronized (this.lock) {
			if (connection != this.current) {
				return;
			}
			this.current = null;
			if (this.closedByApplication) {
				return;
			}
			this.failedAttempts++;
			this.statistics.failed(cause);
			replacement = takeReplacement();
		}
		Replacement.end(replacement);
		String stop = this.decision.afterFailure(cause, this.failedAttempts);
		if (stop != null) {
			giveUp(cause, stop);
			return;
		}
		scheduleReconnect(cause);
	}

	/**
	 * Schedule the next attempt at once (not behind listeners still working through
	 * messages of the old connection); the events go through the dispatcher, in order.
	 */
	private void scheduleReconnect(@Nullable Throwable failure) {
		long delay;
		synchronized (this.lock) {
			if (this.closedByApplication) {
				return;
			}
			delay = this.reconnects.schedule(failure, this::reconnect);
			if (delay != ReconnectSchedule.STOP) {
				transition(WsClientState.RECONNECTING);
				if (failure != null) {
					this.announcer.failed(failure);
				}
				this.announcer.reconnecting(this.reconnects.attempt(), Duration.ofMillis(delay));
			}
		}
		if (delay == ReconnectSchedule.STOP) {
			giveUp((failure != null) ? failure : new IllegalStateException("connection lost"),
					"gave up after " + this.decision.maxAttempts() + " attempts");
		}
	}

	private void reconnect() {
		ClientConnection connection;
		synchronized (this.lock) {
			this.reconnects.started();
			if (this.state != WsClientState.RECONNECTING || this.current != null) {
				return;
			}
			this.statistics.reconnects.increment();
			connection = newAttempt();
		}
		connection.start(this.transport);
	}

	/**
	 * Replace the open connection: close it with {@code code}, then connect again at once
	 * (no back-off delay, and the back-off starts over; the reconnect policy is not
	 * asked). Queued and new sends wait for the next connection. Serves
	 * {@link #reconnect(int, String)} and {@link RollingReconnect} (a reloaded SSL
	 * bundle).
	 * @param code the close code
	 * @param reason the close reason
	 * @return the replacement under way (a call during one joins it), or {@code null}
	 * when no connection is open or the application closed the client
	 */
	@Nullable Replacement replace(int code, String reason) {
		ClientConnection connection;
		Replacement replacement;
		synchronized (this.lock) {
			if (this.replacement != null) {
				return this.replacement;
			}
			connection = this.current;
			if (this.closedByApplication || this.closing != null || connection == null || !connection.isOpen()) {
				return null;
			}
			replacement = new Replacement();
			this.replacement = replacement;
			transition(WsClientState.RECONNECTING);
		}
		// new sends wait for the next connection; the close frame follows what is being
		// written
		this.sendQueue.close(connection.connection(), () -> connection.close(code, reason, this.shutdownTimeout));
		return replacement;
	}

	/** The replacement under way, which ends now (called under the lock). */
	private @Nullable Replacement takeReplacement() {
		Replacement replacement = this.replacement;
		this.replacement = null;
		return replacement;
	}

	private void giveUp(Throwable cause, String why) {
		synchronized (this.lock) {
			transition(WsClientState.CLOSED);
		}
		this.announcer.gaveUp(cause, why);
		failQueuedSends("reconnecting " + why);
	}

	/** A new attempt, made current; started by the caller after it released the lock. */
	private ClientConnection newAttempt() {
		ClientConnection connection = this.attempts.get();
		this.current = connection;
		return connection;
	}

	private void failQueuedSends(String why) {
		this.sendQueue.failAll(() -> new WsSendException.ClientClosed(this.name,
				"Client '" + this.name + "': " + why + "; the message was not sent"));
	}

	private void transition(WsClientState state) {
		if (this.state != state) {
			this.state = state;
			this.since = Instant.now();
		}
	}

	// cluster ownership, driven through WsClientOwnership

	/** This replica owns the client now: a client waiting in STANDBY connects. */
	void grantOwnership() {
		boolean connect;
		synchronized (this.lock) {
			if (!this.ownership.grant()) {
				return;
			}
			connect = this.state == WsClientState.STANDBY;
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
		synchronized (this.lock) {
			owned = this.ownership.revoke();
			active = this.state != WsClientState.NEW && this.state != WsClientState.CLOSED
					&& this.state != WsClientState.STANDBY;
		}
		if (owned) {
			this.ownership.announce(false);
		}
		if (!active) {
			return CompletableFuture.completedFuture(null);
		}
		failQueuedSends("another replica took the client over");
		return close(1001, "Another replica owns this client", timeout).whenComplete((result, failure) -> {
			synchronized (this.lock) {
				if (this.ownership.isRevoked() && this.state == WsClientState.CLOSED) {
					this.closedByApplication = false;
					transition(WsClientState.STANDBY);
				}
			}
		});
	}

}
