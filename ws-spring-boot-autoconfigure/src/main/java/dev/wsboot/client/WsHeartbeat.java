package dev.wsboot.client;

/**
 * A protocol's own heartbeat on one connection, started with
 * {@link WsClient#heartbeat(java.time.Duration, java.util.function.Supplier)}: a beat
 * every interval (the first after a random fraction of it), each to be answered with
 * {@link #acknowledged()}. A beat due while the previous one is still unanswered means
 * the connection is dead (a "zombie"): it is dropped and reconnected. A heartbeat ends
 * with its connection; the next connection needs a new one (typically started by the
 * protocol's hello message).
 */
public interface WsHeartbeat {

	/**
	 * The server answered the last beat (e.g. Discord's op 11). Measured in the
	 * {@code ws.client.heartbeat} timer; an acknowledgement with no beat outstanding is
	 * ignored.
	 */
	void acknowledged();

	/**
	 * Stop beating; nothing more is sent and the connection is no longer checked.
	 * Idempotent.
	 */
	void cancel();

	/**
	 * Whether this heartbeat still runs: neither cancelled nor ended with its connection.
	 * @return whether beats are still sent
	 */
	boolean isActive();

}
