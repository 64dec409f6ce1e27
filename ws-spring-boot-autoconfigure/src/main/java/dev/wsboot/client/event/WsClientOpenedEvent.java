package dev.wsboot.client.event;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;

/**
 * A connection opened. Synchronous listeners run before the first message of this
 * connection reaches a {@code @WsListener}, and what they send goes out before messages
 * queued while connecting: the place for identify, subscribe and resume frames.
 */
public class WsClientOpenedEvent extends WsClientEvent {

	private final @Nullable String subprotocol;

	public WsClientOpenedEvent(WsClient client, @Nullable String subprotocol) {
		super(client);
		this.subprotocol = subprotocol;
	}

	/**
	 * The subprotocol the server selected.
	 * @return the subprotocol, empty when none
	 */
	public Optional<String> subprotocol() {
		return Optional.ofNullable(this.subprotocol);
	}

	@Override
	public String toString() {
		return "WsClientOpenedEvent[client=" + client().name() + ", subprotocol=" + this.subprotocol + "]";
	}

}
