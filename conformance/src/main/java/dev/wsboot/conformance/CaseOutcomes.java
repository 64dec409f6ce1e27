package dev.wsboot.conformance;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;

import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientFailedEvent;

/**
 * How each client's connection attempt ended, from the lifecycle events: a close of an
 * open connection, or a connect that failed (reconnecting is off, so it is not retried).
 */
final class CaseOutcomes {

	private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();

	/**
	 * The outcome of the next connection of a client; call before {@code connect()}.
	 * @param client the client's name
	 * @return completes when the connection ended or could not be made
	 */
	CompletableFuture<Outcome> expect(String client) {
		CompletableFuture<Outcome> outcome = new CompletableFuture<>();
		this.outcomes.put(client, outcome);
		return outcome;
	}

	@EventListener
	void closed(WsClientClosedEvent event) {
		complete(event.client().name(), new Outcome(true,
				"closed " + event.code() + (event.reason().isEmpty() ? "" : " (" + event.reason() + ")")));
	}

	@EventListener
	void failed(WsClientFailedEvent event) {
		if (!event.willRetry()) {
			complete(event.client().name(), new Outcome(false, "connect failed: " + event.cause()));
		}
	}

	private void complete(String client, Outcome outcome) {
		CompletableFuture<Outcome> future = this.outcomes.get(client);
		if (future != null) {
			future.complete(outcome);
		}
	}

	/**
	 * How a connection attempt ended.
	 *
	 * @param opened whether the connection opened (the server ran the case)
	 * @param description the close code and reason, or the connect failure
	 */
	record Outcome(boolean opened, String description) {
	}

}
