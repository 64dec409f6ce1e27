package dev.wsboot.client.event;

import dev.wsboot.client.WsClient;

/**
 * This replica gained or lost a cluster singleton client
 * ({@code ws.clients.<name>.cluster.singleton=true}). Gained: the client connects next.
 * Lost: the client closes with 1001 and waits in {@code STANDBY} while another replica
 * owns it.
 */
public class WsClientOwnershipEvent extends WsClientEvent {

	private final boolean owner;

	public WsClientOwnershipEvent(WsClient client, boolean owner) {
		super(client);
		this.owner = owner;
	}

	/**
	 * Whether this replica owns the client now.
	 * @return {@code true} when it gained the client, {@code false} when it lost it
	 */
	public boolean owner() {
		return this.owner;
	}

	@Override
	public String toString() {
		return "WsClientOwnershipEvent[client=" + client().name() + ", owner=" + this.owner + "]";
	}

}
