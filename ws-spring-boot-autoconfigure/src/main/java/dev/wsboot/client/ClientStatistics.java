package dev.wsboot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The inbound counters and liveness figures of one managed client, updated on the message
 * path without locks and read by health, metrics and the endpoint.
 */
final class ClientStatistics {

	final LongAdder reconnects = new LongAdder();

	final LongAdder textReceived = new LongAdder();

	final LongAdder binaryReceived = new LongAdder();

	final LongAdder bytesReceived = new LongAdder();

	final LongAdder pongs = new LongAdder();

	final LongAdder latencyTotalNanos = new LongAdder();

	volatile long lastReceivedMillis;

	volatile long latencyNanos = -1;

	void received() {
		this.lastReceivedMillis = System.currentTimeMillis();
	}

	void pong(long latencyNanos) {
		this.latencyNanos = latencyNanos;
		this.pongs.increment();
		this.latencyTotalNanos.add(latencyNanos);
	}

	Optional<Duration> latency() {
		long nanos = this.latencyNanos;
		return (nanos < 0) ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
	}

	Optional<Instant> lastMessageReceived() {
		long millis = this.lastReceivedMillis;
		return (millis == 0) ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
	}

}
