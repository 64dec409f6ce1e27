package dev.wsboot.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.springframework.util.Assert;

/**
 * The gate between cluster ownership and the managed clients: which clients are cluster
 * singletons, and handing one to or taking one from this replica. A singleton that this
 * replica does not own waits in {@link WsClientState#STANDBY} instead of connecting.
 * Infrastructure for the cluster auto-configuration (set on the {@link WsClientFactory});
 * applications observe ownership through {@code WsClientOwnershipEvent}.
 */
public final class WsClientOwnership {

	private final Predicate<WsClient> singletons;

	/**
	 * Create a gate.
	 * @param singletons which clients are owned by one replica at a time
	 */
	public WsClientOwnership(Predicate<WsClient> singletons) {
		Assert.notNull(singletons, "'singletons' must not be null");
		this.singletons = singletons;
	}

	/**
	 * Whether the client is owned by one replica at a time (a managed client whose
	 * {@code cluster.singleton} is {@code true}).
	 * @param client the client
	 * @return whether it is a cluster singleton
	 */
	public boolean isSingleton(WsClient client) {
		return client instanceof ManagedWsClient && this.singletons.test(client);
	}

	/**
	 * This replica owns the client now: a client waiting in {@code STANDBY} connects (one
	 * never started stays as it is until it is started).
	 * @param client a cluster singleton
	 */
	public void grant(WsClient client) {
		managed(client).grantOwnership();
	}

	/**
	 * This replica no longer owns the client: close it with 1001 and keep it in
	 * {@code STANDBY}; queued sends fail.
	 * @param client a cluster singleton
	 * @param closeTimeout how long to wait for the closing handshake before dropping the
	 * socket
	 * @return completes when the connection has ended
	 */
	public CompletableFuture<Void> revoke(WsClient client, Duration closeTimeout) {
		Assert.notNull(closeTimeout, "'closeTimeout' must not be null");
		return managed(client).revokeOwnership(closeTimeout);
	}

	/**
	 * Whether this replica owns the client.
	 * @param client the client
	 * @return empty unless the client is a cluster singleton
	 */
	public Optional<Boolean> owner(WsClient client) {
		return (client instanceof ManagedWsClient managed) ? Optional.ofNullable(managed.owner()) : Optional.empty();
	}

	private static ManagedWsClient managed(WsClient client) {
		Assert.isInstanceOf(ManagedWsClient.class, client, "Cluster ownership applies to managed clients only");
		return (ManagedWsClient) client;
	}

}
