package dev.wsboot.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.util.Assert;

/**
 * Replaces the open connections of some clients one at a time: each closes with a given
 * code and connects again at once, and the next one starts only once the previous one is
 * open again or its attempt failed. Used when what the connections were opened with
 * changed, such as a reloaded SSL bundle, so that a fleet never drops all its connections
 * at once. Clients that are not open are left alone (their next attempt uses the new
 * material anyway). Infrastructure for the auto-configuration.
 */
public final class RollingReconnect {

	/**
	 * Added to a client's close and connect timeouts before the next client goes
	 * regardless.
	 */
	private static final long SLACK_MILLIS = 1000;

	private RollingReconnect() {
	}

	/**
	 * Reconnect the given clients one after the other.
	 * @param clients the clients, in order
	 * @param code the close code, e.g. 1001
	 * @param reason the close reason
	 * @return completes when every client is done
	 */
	public static CompletableFuture<Void> start(List<? extends WsClient> clients, int code, String reason) {
		Assert.notNull(clients, "'clients' must not be null");
		Assert.notNull(reason, "'reason' must not be null");
		CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
		for (WsClient client : List.copyOf(clients)) {
			chain = chain.thenComposeAsync((previous) -> renew(client, code, reason));
		}
		return chain;
	}

	private static CompletableFuture<Void> renew(WsClient client, int code, String reason) {
		if (!(client instanceof ManagedWsClient managed)) {
			return CompletableFuture.completedFuture(null);
		}
		long limit = managed.replacementTimeout().toMillis() + SLACK_MILLIS;
		Replacement replacement = managed.replace(code, reason);
		if (replacement == null) {
			return CompletableFuture.completedFuture(null);
		}
		return replacement.reopened()
			.completeOnTimeout(null, limit, TimeUnit.MILLISECONDS)
			.exceptionally((failure) -> null);
	}

}
