package dev.wsboot.client;

/**
 * Decides whether a client keeps trying after a failed connection attempt, for failures the
 * back-off alone should not retry (for example a handshake refused with 401 after a token was
 * revoked). Without such a bean every failure is retried within {@code reconnect.*}.
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

}
