package dev.wsboot.client.event;

import org.springframework.context.ApplicationEvent;

import dev.wsboot.client.WsClient;

/**
 * Base class of the lifecycle events of a {@link WsClient}. Events of one client are
 * published one at a time, in order, on the thread that also runs its listeners.
 */
public abstract class WsClientEvent extends ApplicationEvent {

	protected WsClientEvent(WsClient client) {
		super(client);
	}

	/**
	 * The client this event is about.
	 * @return the client
	 */
	public WsClient client() {
		return (WsClient) getSource();
	}

}
