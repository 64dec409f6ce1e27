package dev.wsboot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientOwnership;
import dev.wsboot.client.WsClientState;

/**
 * Gives each cluster singleton client to one replica at a time, the way Spring
 * Integration's {@code LockRegistryLeaderInitiator} gives leadership: one lock per
 * client, taken without waiting, renewed while owned, released to yield.
 * <p>
 * Every {@link WsClusterSettings#tick() tick} the ownership loop renews the locks it
 * holds, counts the live replicas ({@link ClusterMembers}), hands over clients above its
 * share ({@link OwnershipPlan}: close 1001, then release the lock) and takes free clients
 * up to its share. The loop runs on its own thread because lock calls block on the store
 * and JDBC locks belong to the thread that took them; a separate watchdog thread drops
 * the connection of every client whose lock was not renewed for
 * {@link WsClusterSettings#dropAfter() three quarters of the lease}, even while the loop
 * is stuck in a database call, so an owner that cannot renew is gone before the lock can
 * expire for the others. On context close the clients close with 1001 first (they stop in
 * an earlier phase), then the locks are released.
 */
public final class WsClusterCoordinator implements SmartLifecycle {

	/**
	 * Starts before the clients (which then wait in STANDBY), stops after they closed.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private static final Log logger = LogFactory.getLog(WsClusterCoordinator.class);

	private final ClusterLocks locks;

	private final ClusterMembers members;

	private final Supplier<? extends Collection<WsClient>> clients;

	private final WsClientOwnership ownership;

	private final WsClusterSettings settings;

	/** Clients this replica owns, by name; read by the watchdog, changed by the loop. */
	private final Map<String, OwnedClient> held = new ConcurrentHashMap<>();

	/**
	 * Clients handed over, not to be taken back before the time (nanos); loop thread
	 * only.
	 */
	private final Map<String, Long> handedOver = new HashMap<>();

	private final Object lifecycleMonitor = new Object();

	private @Nullable ScheduledExecutorService loop;

	private @Nullable ScheduledExecutorService watchdog;

	private volatile boolean running;

	private volatile int lastMembers = 1;

	private boolean storeFailing;

	/**
	 * Create a coordinator.
	 * @param registry the lock registry shared by the replicas
	 * @param clients the application's clients (asked every round: clients may come and
	 * go)
	 * @param ownership the gate that holds clients in STANDBY and lets them connect
	 * @param settings lease, interval and cap
	 */
	public WsClusterCoordinator(LockRegistry<?> registry, Supplier<? extends Collection<WsClient>> clients,
			WsClientOwnership ownership, WsClusterSettings settings) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.notNull(clients, "'clients' must not be null");
		Assert.notNull(ownership, "'ownership' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.locks = new ClusterLocks(registry, settings.lease());
		this.members = new ClusterMembers(this.locks);
		this.clients = clients;
		this.ownership = ownership;
		this.settings = settings;
	}

	/**
	 * The names of the clients this replica owns now.
	 * @return the names
	 */
	public List<String> owned() {
		return this.held.values().stream().filter((h) -> !h.dropped).map((h) -> h.client.name()).sorted().toList();
	}

	/**
	 * The live replicas counted in the last round (this one included).
	 * @return the member count
	 */
	public int members() {
		return this.lastMembers;
	}

	// SmartLifecycle

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.loop = executor("ws-cluster-");
			this.watchdog = executor("ws-cluster-lease-");
			long tick = this.settings.tick().toNanos();
			// at a fixed rate: a slow store must not stretch the renewal period
			this.loop.scheduleAtFixedRate(this::round, 0, tick, TimeUnit.NANOSECONDS);
			long period = this.settings.watchdogPeriod().toNanos();
			this.watchdog.scheduleAtFixedRate(this::checkLeases, period, period, TimeUnit.NANOSECONDS);
			this.running = true;
		}
	}

	@Override
	public void stop() {
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		stop(() -> stopped.complete(null));
		stopped.join();
	}

	@Override
	public void stop(Runnable callback) {
		ScheduledExecutorService loop;
		ScheduledExecutorService watchdog;
		synchronized (this.lifecycleMonitor) {
			loop = this.loop;
			watchdog = this.watchdog;
			this.running = false;
			this.loop = null;
			this.watchdog = null;
		}
		if (loop == null || watchdog == null) {
			callback.run();
			return;
		}
		// the clients closed with 1001 in their own (earlier) phase; now let the others
		// take over
		CompletableFuture.runAsync(this::releaseAll, loop)
			.orTimeout(this.settings.lease().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((result, failure) -> {
				if (failure != null) {
					logger.warn("Cluster locks not released on shutdown (they expire after the lease): " + failure);
				}
				loop.shutdownNow();
				watchdog.shutdownNow();
				callback.run();
			});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	// the ownership loop (one thread)

	private void round() {
		if (!this.running) {
			return;
		}
		long started = System.nanoTime();
		try {
			releaseDropped();
			renewOwned();
			int members = this.members.refresh();
			boolean settled = members == this.lastMembers;
			this.lastMembers = members;
			Map<String, WsClient> singletons = singletons();
			forgetRemoved(singletons);
			int share = OwnershipPlan.share(singletons.size(), members, this.settings.maxOwned());
			int owned = (int) this.held.values().stream().filter((h) -> !h.dropped && !h.handingOver).count();
			int surplus = OwnershipPlan.surplus(owned, share, this.settings.maxOwned(), settled);
			if (surplus > 0) {
				handOver(surplus, members, share);
			}
			else if (owned < share) {
				take(singletons, share - owned);
			}
			if (this.storeFailing) {
				logger.info("Cluster lock store reachable again");
				this.storeFailing = false;
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Cluster round: " + members + " replicas, share " + share + ", owned " + owned() + " ("
						+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			if (!this.storeFailing) {
				logger.warn("Cluster ownership round failed; clients whose lock is not renewed within "
						+ this.settings.dropAfter().toMillis() + " ms are dropped: " + ex);
				this.storeFailing = true;
			}
			else {
				logger.debug("Cluster ownership round failed again: " + ex);
			}
		}
	}

	private void renewOwned() {
		for (OwnedClient held : List.copyOf(this.held.values())) {
			if (held.dropped) {
				continue;
			}
			long start = System.nanoTime();
			try {
				this.locks.renew(held.key());
				held.renewedAt = start;
			}
			catch (IllegalStateException ex) {
				// the store says another replica holds it: only after our lease expired
				logger.warn("Client '" + held.client.name() + "': cluster lock lost (" + ex.getMessage()
						+ "); dropping the connection");
				held.dropped = true;
				this.ownership.revoke(held.client, this.settings.dropCloseTimeout());
				release(held);
			}
		}
	}

	/**
	 * Locks of clients the watchdog dropped: released here, on the thread that holds
	 * them.
	 */
	private void releaseDropped() {
		for (OwnedClient held : List.copyOf(this.held.values())) {
			CompletableFuture<Void> dropping = held.dropping;
			if (held.dropped && dropping != null && dropping.isDone()) {
				release(held);
			}
		}
	}

	private void forgetRemoved(Map<String, WsClient> singletons) {
		for (OwnedClient held : List.copyOf(this.held.values())) {
			if (singletons.get(held.client.name()) != held.client) {
				release(held);
			}
		}
	}

	private void handOver(int count, int members, int share) {
		List<OwnedClient> candidates = new ArrayList<>(
				this.held.values().stream().filter((h) -> !h.dropped && !h.handingOver).toList());
		Collections.shuffle(candidates);
		for (OwnedClient held : candidates.subList(0, Math.min(count, candidates.size()))) {
			logger.info("Client '" + held.client.name() + "': handing over to another replica (" + members
					+ " replicas, share " + share + ")");
			held.handingOver = true;
			ScheduledExecutorService loop = this.loop;
			this.ownership.revoke(held.client, this.settings.closeTimeout()).whenComplete((result, failure) -> {
				if (loop != null && !loop.isShutdown()) {
					loop.execute(() -> {
						release(held);
						this.handedOver.put(held.client.name(),
								System.nanoTime() + this.settings.handOverCooldown().toNanos());
					});
				}
			});
		}
	}

	private void take(Map<String, WsClient> singletons, int wanted) throws InterruptedException {
		long now = System.nanoTime();
		this.handedOver.values().removeIf((until) -> until - now < 0);
		List<WsClient> candidates = new ArrayList<>();
		for (WsClient client : singletons.values()) {
			if (!this.held.containsKey(client.name()) && !this.handedOver.containsKey(client.name())
					&& client.state() == WsClientState.STANDBY) {
				candidates.add(client);
			}
		}
		Collections.shuffle(candidates);
		int taken = 0;
		for (WsClient client : candidates) {
			if (taken >= wanted || !this.running) {
				return;
			}
			Lock lock = this.locks.obtain(OwnedClient.key(client.name()));
			long start = System.nanoTime();
			if (this.locks.tryLock(lock)) {
				OwnedClient held = new OwnedClient(client, lock, start);
				this.held.put(client.name(), held);
				taken++;
				logger.info(
						"Client '" + client.name() + "': this replica owns it now (" + this.lastMembers + " replicas)");
				this.ownership.grant(client);
			}
		}
	}

	private void release(OwnedClient held) {
		if (this.held.remove(held.client.name(), held)) {
			this.locks.unlockQuietly(held.lock);
		}
	}

	private void releaseAll() {
		for (OwnedClient held : List.copyOf(this.held.values())) {
			try {
				this.ownership.revoke(held.client, this.settings.closeTimeout())
					.get(this.settings.closeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				logger.debug("Client '" + held.client.name() + "' did not close in time before its lock is released");
			}
			release(held);
		}
		this.members.leave();
	}

	private Map<String, WsClient> singletons() {
		Map<String, WsClient> singletons = new LinkedHashMap<>();
		for (WsClient client : this.clients.get()) {
			if (this.ownership.isSingleton(client)) {
				singletons.put(client.name(), client);
			}
		}
		return singletons;
	}

	// the lease watchdog (its own thread: never waits for the store)

	private void checkLeases() {
		long now = System.nanoTime();
		long dropAfter = this.settings.dropAfter().toNanos();
		for (OwnedClient held : this.held.values()) {
			if (!held.dropped && now - held.renewedAt > dropAfter) {
				held.dropped = true;
				logger.warn("Client '" + held.client.name() + "': cluster lock not renewed for "
						+ Duration.ofNanos(now - held.renewedAt).toMillis() + " ms (lease "
						+ this.settings.lease().toMillis() + " ms); dropping the connection before the lease expires");
				held.dropping = this.ownership.revoke(held.client, this.settings.dropCloseTimeout());
			}
		}
	}

	private static ScheduledExecutorService executor(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
