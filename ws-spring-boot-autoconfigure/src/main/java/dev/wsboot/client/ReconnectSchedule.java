package dev.wsboot.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOffExecution;

/**
 * When one managed client tries again: Spring's back-off built from {@code reconnect.*},
 * stretched when a refused handshake asked for more with {@code Retry-After}, the number
 * of the attempt each delay belongs to, and the one pending attempt. A sequence runs from
 * {@link #reset()} (an explicit connect, or a connection that stayed open long enough)
 * until the back-off stops ({@code reconnect.max-attempts}). Guarded by the client's
 * lock.
 */
final class ReconnectSchedule {

	/** What {@link #schedule(Throwable, Runnable)} returns when no attempt is left. */
	static final long STOP = BackOffExecution.STOP;

	private final WsClientSettings.Reconnect settings;

	private final ScheduledExecutorService scheduler;

	private @Nullable BackOffExecution execution;

	private int attempt;

	private @Nullable ScheduledFuture<?> pending;

	ReconnectSchedule(WsClientSettings.Reconnect settings, ScheduledExecutorService scheduler) {
		this.settings = settings;
		this.scheduler = scheduler;
	}

	/**
	 * Schedule the next attempt after the next delay (unless one is pending already).
	 * @param failure the failure of the last attempt, {@code null} when an open
	 * connection ended
	 * @param attempt starts the attempt; it calls {@link #started()} first
	 * @return the delay in milliseconds, or {@link #STOP} when the back-off gave up
	 */
	long schedule(@Nullable Throwable failure, Runnable attempt) {
		if (this.execution == null) {
			this.execution = this.settings.backOff().start();
		}
		long delay = this.execution.nextBackOff();
		if (delay == BackOffExecution.STOP) {
			return STOP;
		}
		this.attempt++;
		delay = Math.max(delay, RetryAfter.millis(failure));
		if (this.pending == null) {
			this.pending = this.scheduler.schedule(attempt, delay, TimeUnit.MILLISECONDS);
		}
		return delay;
	}

	/**
	 * The attempt the last scheduled delay is for.
	 * @return the attempt, 1-based
	 */
	int attempt() {
		return this.attempt;
	}

	/** The pending attempt is running. */
	void started() {
		this.pending = null;
	}

	/** Drop the pending attempt, if any. */
	void cancel() {
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
	}

	/** Start the next sequence with the initial delay. */
	void reset() {
		this.execution = null;
		this.attempt = 0;
	}

}
