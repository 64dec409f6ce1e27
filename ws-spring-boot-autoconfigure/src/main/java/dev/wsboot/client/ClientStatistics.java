package dev.wsboot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The inbound counters, liveness figures and last close or failure of one managed client,
 * updated without locks and read by health, metrics and the endpoint.
 */
final class ClientStatistics {

	final LongAdder reconnects = new LongAdder();

	final LongAdder textReceived = new LongAdder();

	final LongAdder binaryReceived = new LongAdder();

	final LongAdder bytesReceived = new LongAdder();

	final LongAdder pongs = new LongAdder();

	final LongAdder latencyTotalNanos = new LongAdder();

	final LongAdder heartbeats = new LongAdder();

	final LongAdder heartbeatNanos = new LongAdder();

	/** {@link System#nanoTime()} of the last frame, {@link #NEVER} before the first. */
	private volatile long lastReceivedNanos = NEVER;

	volatile long latencyNanos = -1;

	volatile int lastCloseCode;

	volatile String lastCloseReason = "";

	volatile @Nullable String lastFailure;

	private static final long NEVER = Long.MIN_VALUE;

	private static final WsTimingRecorder NO_RECORDER = new WsTimingRecorder() {
	};

	/**
	 * Told of every ping round trip, heartbeat acknowledgement and request outcome: the
	 * {@code ws.client.latency}, {@code ws.client.heartbeat} and
	 * {@code ws.client.requests} timers.
	 */
	private volatile WsTimingRecorder recorder = NO_RECORDER;

	/**
	 * A frame arrived; the wall-clock time is worked out only when asked for, so a frame
	 * costs the caller's one clock read.
	 * @param nanos its {@link System#nanoTime()}
	 */
	void received(long nanos) {
		this.lastReceivedNanos = nanos;
	}

	void pong(long latencyNanos) {
		this.latencyNanos = latencyNanos;
		this.pongs.increment();
		this.latencyTotalNanos.add(latencyNanos);
		this.recorder.latency(latencyNanos);
	}

	void recorder(@Nullable WsTimingRecorder recorder) {
		this.recorder = (recorder != null) ? recorder : NO_RECORDER;
	}

	void requestEnded(WsRequestTimings.Outcome outcome, long nanos) {
		this.recorder.request(outcome, nanos);
	}

	void heartbeat(long nanos) {
		this.heartbeats.increment();
		this.heartbeatNanos.add(nanos);
		this.recorder.heartbeat(nanos);
	}

	void closed(int code, String reason) {
		this.lastCloseCode = code;
		this.lastCloseReason = reason;
	}

	void failed(Throwable cause) {
		this.lastFailure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

	Optional<Duration> latency() {
		long nanos = this.latencyNanos;
		return (nanos < 0) ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
	}

	Optional<Instant> lastMessageReceived() {
		long nanos = this.lastReceivedNanos;
		if (nanos == NEVER) {
			return Optional.empty();
		}
		long agoMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
		return Optional.of(Instant.ofEpochMilli(System.currentTimeMillis() - agoMillis));
	}

}
