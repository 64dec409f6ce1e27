package dev.wsboot.cluster;

import java.util.concurrent.locks.Lock;

import org.jspecify.annotations.Nullable;

/**
 * How many replicas are alive, told by the lock registry alone: each replica holds one
 * member slot lock ({@code member:0}, {@code member:1}, …), the lowest it can get,
 * renewed with its client locks, so a replica that dies frees its slot after the lease.
 * Counting probes the slots in order with a take-and-release that does not wait; a slot
 * that cannot be taken belongs to a live replica. Probing stops after a few free slots
 * past this replica's own, and replicas move down into free lower slots, so holes left by
 * replicas that went away close within a few rounds. Works with every registry (no query
 * of a particular store); a round costs about N + 3 lock calls.
 */
final class ClusterMembers {

	/** Free slots seen in a row, past this replica's own, before counting stops. */
	private static final int FREE_SLOTS = 2;

	private static final int MAX_SLOTS = 4096;

	private final ClusterLocks locks;

	private int slot = -1;

	private @Nullable Lock slotLock;

	ClusterMembers(ClusterLocks locks) {
		this.locks = locks;
	}

	/**
	 * Renew this replica's slot (take one when it has none) and count the live replicas.
	 * @return the number of live replicas, at least 1
	 * @throws InterruptedException when interrupted
	 */
	int refresh() throws InterruptedException {
		if (this.slot >= 0) {
			try {
				this.locks.renew(key(this.slot));
			}
			catch (IllegalStateException ex) {
				leave();
			}
		}
		int count = 0;
		int free = 0;
		for (int i = 0; i < MAX_SLOTS; i++) {
			if (i == this.slot) {
				count++;
				free = 0;
				continue;
			}
			Lock lock = this.locks.obtain(key(i));
			if (!this.locks.tryLock(lock)) {
				count++;
				free = 0;
				continue;
			}
			if (this.slot < 0 || i < this.slot) {
				// take the lowest free slot: holes close, counting stays short
				leave();
				this.slot = i;
				this.slotLock = lock;
				count++;
				free = 0;
				continue;
			}
			this.locks.unlockQuietly(lock);
			if (++free >= FREE_SLOTS) {
				break;
			}
		}
		return Math.max(count, 1);
	}

	/** Give up this replica's slot. */
	void leave() {
		Lock lock = this.slotLock;
		if (lock != null) {
			this.locks.unlockQuietly(lock);
		}
		this.slot = -1;
		this.slotLock = null;
	}

	int slot() {
		return this.slot;
	}

	private static String key(int slot) {
		return "member:" + slot;
	}

}
