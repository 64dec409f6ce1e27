package dev.wsboot.client.event;

import dev.wsboot.client.WsClient;

/**
 * The application declared the client's connection ready with {@link WsClient#ready()}
 * (e.g. on the protocol's {@code connection_ack} or READY): messages held by the ready
 * gate ({@code ready-on: application}) are being written. Published on each
 * {@code ready()} of an open connection, in order with the client's other events.
 */
public class WsClientReadyEvent extends WsClientEvent {

	public WsClientReadyEvent(WsClient client) {
		super(client);
	}

	@Override
	public String toString() {
		return "WsClientReadyEvent[client=" + client().name() + "]";
	}

}
