package dev.wsboot.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;

import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;

/**
 * A client this replica owns, with its lock and the state of its lease. Changed by the
 * ownership loop, read by the lease watchdog.
 */
final class OwnedClient {

	final WsClient client;

	final Lock lock;

	/** {@link System#nanoTime()} at the start of the last successful take or renewal. */
	volatile long renewedAt;

	/**
	 * The watchdog dropped the connection (or the lock was lost): release, do not renew.
	 */
	volatile boolean dropped;

	/**
	 * The connection being dropped by the watchdog; the lock is released once it ended.
	 */
	volatile @Nullable CompletableFuture<Void> dropping;

	/** Closing to hand over; still renewed until the connection has ended. */
	volatile boolean handingOver;

	OwnedClient(WsClient client, Lock lock, long renewedAt) {
		this.client = client;
		this.lock = lock;
		this.renewedAt = renewedAt;
	}

	String key() {
		return key(this.client.name());
	}

	static String key(String name) {
		return "client:" + name;
	}

}
