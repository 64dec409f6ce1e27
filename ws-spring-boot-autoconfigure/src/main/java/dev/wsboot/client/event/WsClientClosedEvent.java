package dev.wsboot.client.event;

import dev.wsboot.client.WsClient;

/**
 * An open connection ended.
 */
public class WsClientClosedEvent extends WsClientEvent {

	private final int code;

	private final String reason;

	private final boolean willReconnect;

	public WsClientClosedEvent(WsClient client, int code, String reason, boolean willReconnect) {
		super(client);
		this.code = code;
		this.reason = reason;
		this.willReconnect = willReconnect;
	}

	/**
	 * The close code: 1005 when the server's close frame had no code, 1006 when the
	 * connection ended without a close frame.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The close reason.
	 * @return the reason, empty when none
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * Whether a reconnect follows.
	 * @return {@code true} unless the application closed the client or reconnecting is
	 * off
	 */
	public boolean willReconnect() {
		return this.willReconnect;
	}

	@Override
	public String toString() {
		return "WsClientClosedEvent[client=" + client().name() + ", code=" + this.code + ", reason=" + this.reason
				+ ", willReconnect=" + this.willReconnect + "]";
	}

}
