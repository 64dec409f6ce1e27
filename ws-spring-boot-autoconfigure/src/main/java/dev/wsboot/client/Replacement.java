package dev.wsboot.client;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A replacement of the open connection ({@link ConnectionEnds#replace(int, String)}),
 * observed in two stages: the replaced connection closed, and the next one opened. Owns
 * the two futures that {@link WsClient#reconnect(int, String)} and
 * {@link RollingReconnect} wait on; the client holds the one under way under its lock.
 */
final class Replacement {

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final CompletableFuture<Void> reopened = new CompletableFuture<>();

	/**
	 * Completes when the replaced connection closed and the next attempt was started
	 * (what {@link WsClient#reconnect(int, String)} returns).
	 * @return the first stage
	 */
	CompletableFuture<Void> closed() {
		return this.closed;
	}

	/**
	 * Completes when the next connection opened (its opened event was published) or its
	 * attempt failed, or the application closed the client.
	 * @return the second stage
	 */
	CompletableFuture<Void> reopened() {
		return this.reopened;
	}

	/** Complete both stages. */
	static void end(@Nullable Replacement replacement) {
		if (replacement != null) {
			replacement.closed.complete(null);
			replacement.reopened.complete(null);
		}
	}

}
