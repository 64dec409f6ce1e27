package dev.wsboot.client;

/**
 * The state of a managed WebSocket client.
 */
public enum WsClientState {

	/** Created, never connected. */
	NEW,

	/**
	 * The first connection attempt (or one asked for by {@link WsClient#connect()}) is
	 * under way.
	 */
	CONNECTING,

	/** Connected: messages flow. */
	OPEN,

	/** The application asked to close; the closing handshake is under way. */
	CLOSING,

	/**
	 * Closed by the application, or reconnecting gave up. Nothing happens until
	 * {@link WsClient#connect()}.
	 */
	CLOSED,

	/**
	 * The connection was lost or an attempt failed; the next attempt is scheduled or
	 * running.
	 */
	RECONNECTING,

	/**
	 * A cluster singleton ({@code ws.clients.<name>.cluster.singleton=true}) that another
	 * replica owns: not connected here; sends fail at once. Connects when this replica
	 * takes the client over.
	 */
	STANDBY

}
