package dev.wsboot.client.event;

import java.time.Duration;

import dev.wsboot.client.WsClient;

/**
 * A reconnect attempt is about to be scheduled.
 */
public class WsClientReconnectingEvent extends WsClientEvent {

	private final int attempt;

	private final Duration delay;

	public WsClientReconnectingEvent(WsClient client, int attempt, Duration delay) {
		super(client);
		this.attempt = attempt;
		this.delay = delay;
	}

	/**
	 * The attempt number since the connection was lost, starting at 1.
	 * @return the attempt
	 */
	public int attempt() {
		return this.attempt;
	}

	/**
	 * How long until the attempt starts.
	 * @return the delay
	 */
	public Duration delay() {
		return this.delay;
	}

	@Override
	public String toString() {
		return "WsClientReconnectingEvent[client=" + client().name() + ", attempt=" + this.attempt + ", delay="
				+ this.delay + "]";
	}

}
