package dev.wsboot.client;

/**
 * Decides whether a client keeps trying after a failed connection attempt, for failures
 * the back-off alone should not retry (for example a handshake refused with 401 after a
 * token was revoked), and after a connection closed by the server (for example Discord's
 * 4004, authentication failed). Without such a bean every failure is retried within
 * {@code reconnect.*}, and every close not listed in
 * {@code reconnect.stop-on-close-codes}. A method that throws is logged and the client
 * reconnects, as without a policy. Both methods may be called on a transport I/O thread
 * that serves other connections too: decide quickly, never block.
 */
@FunctionalInterface
public interface WsReconnectPolicy {

	/**
	 * Whether to schedule another attempt.
	 * @param client the client whose attempt failed
	 * @param failure why it failed; a {@link dev.wsboot.transport.WsHandshakeException}
	 * carries the HTTP status
	 * @param failedAttempts consecutive failed attempts, this one included
	 * @return {@code false} to give up: the client becomes CLOSED and queued sends fail
	 */
	boolean shouldReconnect(WsClient client, Throwable failure, int failedAttempts);

	/**
	 * Whether to reconnect after an open connection ended without the application asking
	 * for it; decided before any reconnect is scheduled, after
	 * {@code reconnect.stop-on-close-codes} (a listed code is never reconnected).
	 * @param client the client whose connection ended
	 * @param closeCode the close code (1006 when the connection ended without a close
	 * frame)
	 * @param reason the close reason, empty when none
	 * @return {@code false} to give up: the client becomes CLOSED (health DOWN with the
	 * code and reason), the closed event says it will not reconnect, and queued sends
	 * fail
	 */
	default boolean shouldReconnect(WsClient client, int closeCode, String reason) {
		return true;
	}

}
