package dev.wsboot.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * How the connections of one managed client end, and what follows each end: the close the
 * application asks for, a {@link Replacement} of the open connection, and the ends each
 * {@link ClientConnection} reports (closed, failed); then the client connects again at
 * once (a replacement), on the {@link ReconnectSchedule} as {@link ReconnectDecision}
 * allows, or not at all. Owns the close and the replacement under way and the count of
 * failed attempts; works on the {@link ClientStatus} under its lock.
 * {@link ClientStateMachine} starts the connections.
 */
final class ConnectionEnds {

	/** A connection open at least this long resets the back-off. */
	private static final Duration STABLE = Duration.ofSeconds(10);

	private final ClientStatus status;

	private final SendQueue sendQueue;

	private final InboundDispatcher dispatcher;

	private final LifecycleAnnouncer announcer;

	private final ClientStatistics statistics;

	private final ReconnectDecision decision;

	private final ReconnectSchedule reconnects;

	private final ScheduledExecutorService scheduler;

	private final Duration shutdownTimeout;

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
	 * Create the ends of a client's connections.
	 * @param status the client's state and lock
	 * @param sendQueue the client's outbound messages
	 * @param dispatcher tells whether a close comes from a listener
	 * @param announcer logs and publishes the transitions
	 * @param statistics counts closes, failures and reconnects
	 * @param decision whether to reconnect
	 * @param reconnects when to reconnect
	 * @param scheduler the starter's timer
	 * @param shutdownTimeout how long a replaced connection waits for the closing
	 * handshake
	 */
	ConnectionEnds(ClientStatus status, SendQueue sendQueue, InboundDispatcher dispatcher, LifecycleAnnouncer announcer,
			ClientStatistics statistics, ReconnectDecision decision, ReconnectSchedule reconnects,
			ScheduledExecutorService scheduler, Duration shutdownTimeout) {
		this.status = status;
		this.sendQueue = sendQueue;
		this.dispatcher = dispatcher;
		this.announcer = announcer;
		this.statistics = statistics;
		this.decision = decision;
		this.reconnects = reconnects;
		this.scheduler = scheduler;
		this.shutdownTimeout = shutdownTimeout;
	}

	/** The failed attempts since the last connection opened. */
	int failedAttempts() {
		return this.failedAttempts;
	}

	/**
	 * An explicit connect starts over: no failed attempts, and the back-off from its
	 * initial delay (called under the lock).
	 */
	void restart() {
		this.reconnects.reset();
		this.failedAttempts = 0;
	}

	/**
	 * The current attempt opened (called under the lock): no failed attempts any more.
	 * @return the replacement that ends with it, or {@code null}
	 */
	@Nullable Replacement opened() {
		this.failedAttempts = 0;
		return takeReplacement();
	}

	/**
	 * Close for good: no reconnecting until the next connect.
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
		synchronized (this.status.lock()) {
			replacement = takeReplacement();
			this.status.closedByApplication(true);
			this.reconnects.cancel();
			if (this.closing != null) {
				return this.closing;
			}
			connection = this.status.current();
			if (connection == null || !connection.isOpen()) {
				if (connection != null) {
					connection.abandon();
					this.status.clearCurrent();
				}
				// also a client that was never started: later sends fail at once
				this.status.transition(WsClientState.CLOSED);
				this.sendQueue.failAll("closed by the application");
				Replacement.end(replacement);
				return CompletableFuture.completedFuture(null);
			}
			this.status.transition(WsClientState.CLOSING);
			closed = new CompletableFuture<>();
			this.closing = closed;
			// a listener awaiting it would otherwise wait for an event queued behind
			// itself
			this.closingFromListener = this.dispatcher.isListenerThread();
		}
		this.sendQueue.failAll("closed by the application");
		// no next connection follows
		Replacement.end(replacement);
		this.sendQueue.close(connection.connection(), () -> connection.close(code, reason, timeout));
		return closed;
	}

	/**
	 * Reconnect now ({@link WsClient#reconnect(int, String)}): join a close under way,
	 * try at once when waiting for a back-off delay, or replace the open connection.
	 * @param code the close code, already checked
	 * @param reason the close reason
	 * @return completes when the next attempt was started, or {@code null} when none of
	 * these applies (an attempt under way goes on; a closed or new client connects)
	 */
	@Nullable CompletableFuture<Void> reconnect(int code, String reason) {
		synchronized (this.status.lock()) {
			if (this.closing != null) {
				return this.closing;
			}
			if (this.status.state() == WsClientState.RECONNECTING && this.status.current() == null) {
				// waiting for a back-off delay: try now instead
				this.reconnects.cancel();
				this.scheduler.execute(this::reconnect);
				return CompletableFuture.completedFuture(null);
			}
		}
		Replacement replacement = replace(code, reason);
		return (replacement != null) ? replacement.closed() : null;
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
		synchronized (this.status.lock()) {
			if (this.replacement != null) {
				return this.replacement;
			}
			connection = this.status.current();
			if (this.status.closedByApplication() || this.closing != null || connection == null
					|| !connection.isOpen()) {
				return null;
			}
			replacement = new Replacement();
			this.replacement = replacement;
			this.status.transition(WsClientState.RECONNECTING);
		}
		// new sends wait for the next connection; the close frame follows what is being
		// written
		this.sendQueue.close(connection.connection(), () -> connection.close(code, reason, this.shutdownTimeout));
		return replacement;
	}

	/** An open connection ended (exactly once per connection). */
	void closed(ClientConnection connection, int code, String reason, long openNanos) {
		boolean askPolicy;
		synchronized (this.status.lock()) {
			askPolicy = connection == this.status.current() && !this.status.closedByApplication()
					&& this.replacement == null && this.decision.enabled();
		}
		// decided before anything is scheduled, outside the lock (the policy is
		// application code)
		String stop = askPolicy ? this.decision.afterClose(code, reason) : null;
		boolean reconnect;
		Replacement replacement;
		CompletableFuture<Void> closing;
		boolean fromListener;
		synchronized (this.status.lock()) {
			if (connection != this.status.current()) {
				return;
			}
			this.status.clearCurrent();
			this.statistics.closed(code, reason);
			closing = this.closing;
			this.closing = null;
			fromListener = this.closingFromListener;
			// null when the application's close() ended the replacement
			replacement = this.replacement;
			reconnect = !this.status.closedByApplication()
					&& (replacement != null || (this.decision.enabled() && stop == null));
			if (openNanos >= STABLE.toNanos() || replacement != null) {
				this.reconnects.reset();
			}
			this.status.transition(reconnect ? WsClientState.RECONNECTING : WsClientState.CLOSED);
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
			this.sendQueue.failAll("reconnecting stopped: " + stop);
		}
		else if (!this.status.closedByApplication()) {
			this.sendQueue.failAll("the connection closed with " + code + " and reconnect is disabled");
		}
	}

	/** A connection attempt failed before the handshake completed. */
	void failed(ClientConnection connection, Throwable cause) {
		Replacement replacement;
		synchronized (this.status.lock()) {
			if (connection != this.status.current()) {
				return;
			}
			this.status.clearCurrent();
			if (this.status.closedByApplication()) {
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
	 * The replaced connection closed: connect again now, without a back-off delay.
	 */
	private void reconnectAtOnce() {
		synchronized (this.status.lock()) {
			if (this.status.closedByApplication()) {
				return;
			}
			this.status.transition(WsClientState.RECONNECTING);
			this.announcer.reconnecting(1, Duration.ZERO);
		}
		// not on the transport thread that reported the close
		this.scheduler.execute(this::reconnect);
	}

	/**
	 * Schedule the next attempt at once (not behind listeners still working through
	 * messages of the old connection); the events go through the dispatcher, in order.
	 */
	private void scheduleReconnect(@Nullable Throwable failure) {
		long delay;
		synchronized (this.status.lock()) {
			if (this.status.closedByApplication()) {
				return;
			}
			delay = this.reconnects.schedule(failure, this::reconnect);
			if (delay != ReconnectSchedule.STOP) {
				this.status.transition(WsClientState.RECONNECTING);
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
		synchronized (this.status.lock()) {
			this.reconnects.started();
			if (this.status.state() != WsClientState.RECONNECTING || this.status.current() != null) {
				return;
			}
			this.statistics.reconnects.increment();
			connection = this.status.newAttempt();
		}
		this.status.start(connection);
	}

	/** The replacement under way, which ends now (called under the lock). */
	private @Nullable Replacement takeReplacement() {
		Replacement replacement = this.replacement;
		this.replacement = null;
		return replacement;
	}

	private void giveUp(Throwable cause, String why) {
		synchronized (this.status.lock()) {
			this.status.transition(WsClientState.CLOSED);
		}
		this.announcer.gaveUp(cause, why);
		this.sendQueue.failAll("reconnecting " + why);
	}

}
