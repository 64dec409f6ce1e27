package dev.wsboot.conformance;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.wsboot.annotation.WsListener;

/**
 * Receives the case count: {@code /getCaseCount} sends it as a JSON number in a text
 * message.
 */
final class CaseCount {

	private final CompletableFuture<Integer> count = new CompletableFuture<>();

	@WsListener("count")
	void onCount(String text) {
		this.count.complete(Integer.valueOf(text.trim()));
	}

	int get(Duration timeout) throws Exception {
		return this.count.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
