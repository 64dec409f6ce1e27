package dev.wsboot.client.event;

import dev.wsboot.client.WsClient;

/**
 * A connection attempt failed: refused handshake, timeout or network error.
 */
public class WsClientFailedEvent extends WsClientEvent {

	private final Throwable cause;

	private final boolean willRetry;

	public WsClientFailedEvent(WsClient client, Throwable cause, boolean willRetry) {
		super(client);
		this.cause = cause;
		this.willRetry = willRetry;
	}

	/**
	 * Why the attempt failed.
	 * @return the cause
	 */
	public Throwable cause() {
		return this.cause;
	}

	/**
	 * Whether another attempt follows.
	 * @return {@code false} when reconnecting gave up (the client is then CLOSED)
	 */
	public boolean willRetry() {
		return this.willRetry;
	}

	@Override
	public String toString() {
		return "WsClientFailedEvent[client=" + client().name() + ", cause=" + this.cause.getClass().getSimpleName()
				+ ": " + this.cause.getMessage() + ", willRetry=" + this.willRetry + "]";
	}

}
