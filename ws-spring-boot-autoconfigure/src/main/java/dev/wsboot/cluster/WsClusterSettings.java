package dev.wsboot.cluster;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Timing of cluster ownership, and what follows from it.
 *
 * @param lease the lock time-to-live: a replica that stops renewing loses its clients
 * after this long
 * @param acquireInterval how often a replica renews and tries to take clients it does not
 * own
 * @param maxOwned most clients one replica owns, {@code 0} for no cap
 * @param closeTimeout how long a graceful hand-over waits for the closing handshake
 */
public record WsClusterSettings(Duration lease, Duration acquireInterval, int maxOwned, Duration closeTimeout) {

	public WsClusterSettings {
		Assert.notNull(lease, "'lease' must not be null");
		Assert.notNull(acquireInterval, "'acquireInterval' must not be null");
		Assert.notNull(closeTimeout, "'closeTimeout' must not be null");
		Assert.isTrue(lease.toMillis() >= 100, "'lease' must be at least 100ms (ws.cluster.lease)");
		Assert.isTrue(acquireInterval.toMillis() > 0,
				"'acquireInterval' must be positive (ws.cluster.acquire-interval)");
		Assert.isTrue(maxOwned >= 0, "'maxOwned' must not be negative (ws.cluster.max-owned)");
		Assert.isTrue(!closeTimeout.isNegative(), "'closeTimeout' must not be negative");
	}

	/**
	 * How often the ownership loop runs: {@code acquireInterval}, but at least three
	 * times per lease so that renewing has two chances before the lease is in danger.
	 * @return the period of the loop
	 */
	Duration tick() {
		Duration third = this.lease.dividedBy(3);
		return (this.acquireInterval.compareTo(third) < 0) ? this.acquireInterval : third;
	}

	/**
	 * How long after the start of the last successful renewal an owner drops its
	 * connection: three quarters of the lease. With {@link #watchdogPeriod()} and
	 * {@link #dropCloseTimeout()} the connection is gone by 0.9 × lease, before the lock
	 * can expire for the other replicas.
	 * @return the age of the last renewal at which the connection is dropped
	 */
	Duration dropAfter() {
		return this.lease.minus(this.lease.dividedBy(4));
	}

	/**
	 * How often the lease watchdog looks at the renewal ages (independent of the loop,
	 * which may be blocked in a database call).
	 * @return the watchdog period, a twentieth of the lease within 10–250 ms
	 */
	Duration watchdogPeriod() {
		long millis = Math.max(10, Math.min(250, this.lease.toMillis() / 20));
		return Duration.ofMillis(millis);
	}

	/**
	 * How long a connection dropped for lack of renewal waits for the closing handshake
	 * before the socket is dropped: a tenth of the lease.
	 * @return the close timeout
	 */
	Duration dropCloseTimeout() {
		return this.lease.dividedBy(10);
	}

	/**
	 * How long a replica leaves a client it handed over to the others before trying to
	 * take it again (so that it is not taken back at once).
	 * @return the hand-over cool-down
	 */
	Duration handOverCooldown() {
		return tick().multipliedBy(4);
	}

}
