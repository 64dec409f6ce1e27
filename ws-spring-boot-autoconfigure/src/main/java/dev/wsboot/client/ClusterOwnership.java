package dev.wsboot.client;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.wsboot.client.event.WsClientOwnershipEvent;

/**
 * Whether this replica owns one managed client that is a cluster singleton
 * ({@code cluster.singleton}), and the {@link WsClientOwnershipEvent}s that announce a
 * change. Holds only the ownership flag: the client changes it under its lock and moves
 * its state (STANDBY, connecting, closing) itself.
 */
final class ClusterOwnership {

	private final WsClient client;

	private final Supplier<@Nullable WsClientOwnership> ownership;

	private final InboundDispatcher dispatcher;

	private final ApplicationEventPublisher publisher;

	/** {@code null} unless the client is a cluster singleton. */
	private volatile @Nullable Boolean owner;

	/**
	 * Create the ownership of a client.
	 * @param client the client
	 * @param ownership the cluster's gate, looked up when needed ({@code null} without a
	 * cluster)
	 * @param dispatcher publishes the events in order with the client's other events
	 * @param publisher the event publisher
	 */
	ClusterOwnership(WsClient client, Supplier<@Nullable WsClientOwnership> ownership, InboundDispatcher dispatcher,
			ApplicationEventPublisher publisher) {
		this.client = client;
		this.ownership = ownership;
		this.dispatcher = dispatcher;
		this.publisher = publisher;
	}

	/**
	 * Whether this is a cluster singleton that this replica does not own (called under
	 * the client's lock).
	 */
	boolean inStandby() {
		WsClientOwnership ownership = this.ownership.get();
		if (this.owner == null && ownership != null && ownership.isSingleton(this.client)) {
			this.owner = Boolean.FALSE;
		}
		return Boolean.FALSE.equals(this.owner);
	}

	/**
	 * This replica owns the client now (called under the client's lock).
	 * @return {@code false} when it owned it already
	 */
	boolean grant() {
		if (Boolean.TRUE.equals(this.owner)) {
			return false;
		}
		this.owner = Boolean.TRUE;
		return true;
	}

	/**
	 * This replica no longer owns the client (called under the client's lock).
	 * @return whether it owned it until now
	 */
	boolean revoke() {
		boolean owned = Boolean.TRUE.equals(this.owner);
		this.owner = Boolean.FALSE;
		return owned;
	}

	/** Whether another replica may own the client. */
	boolean isRevoked() {
		return Boolean.FALSE.equals(this.owner);
	}

	/** {@code null} unless a cluster singleton; else whether this replica owns it. */
	@Nullable Boolean owner() {
		return this.owner;
	}

	/** Publish that this replica owns the client now, or no longer. */
	void announce(boolean owner) {
		this.dispatcher.submit(() -> this.publisher.publishEvent(new WsClientOwnershipEvent(this.client, owner)));
	}

}
