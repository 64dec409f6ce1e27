package dev.wsboot.cluster;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * The three lock operations cluster ownership needs, on any {@link LockRegistry}: take
 * without waiting, renew, release. Locks with a time-to-live get the lease as theirs.
 * Every call runs on the ownership loop's one thread (JDBC and other registries tie a
 * lock to the thread that took it) and may block on the store.
 */
final class ClusterLocks {

	private static final Log logger = LogFactory.getLog(ClusterLocks.class);

	private static final String PREFIX = "ws-cluster:";

	private final LockRegistry<?> registry;

	private final Duration lease;

	ClusterLocks(LockRegistry<?> registry, Duration lease) {
		this.registry = registry;
		this.lease = lease;
	}

	Lock obtain(String key) {
		return this.registry.obtain(PREFIX + key);
	}

	/** Take the lock if free, without waiting. */
	boolean tryLock(Lock lock) throws InterruptedException {
		if (lock instanceof DistributedLock distributed) {
			return distributed.tryLock(Duration.ZERO, this.lease);
		}
		return lock.tryLock();
	}

	/**
	 * Renew a held lock for another lease.
	 * @throws IllegalStateException when the lock is no longer ours in the store
	 * @throws RuntimeException when the store cannot be reached
	 */
	void renew(String key) {
		if (this.registry instanceof RenewableLockRegistry<?> renewable) {
			renewable.renewLock(PREFIX + key, this.lease);
		}
		// other registries hold their locks for as long as the session lives (ZooKeeper)
	}

	/** Release a lock, ignoring that the store may have expired it already or is down. */
	void unlockQuietly(Lock lock) {
		try {
			lock.unlock();
		}
		catch (RuntimeException ex) {
			logger.debug("Releasing a cluster lock failed (it expires after the lease): " + ex);
		}
	}

}
