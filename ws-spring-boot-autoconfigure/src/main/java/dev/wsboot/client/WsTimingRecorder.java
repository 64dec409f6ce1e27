package dev.wsboot.client;

/**
 * Told of each duration a managed client measures, as it measures it: how the metrics
 * binder records the {@code ws.client.latency}, {@code ws.client.heartbeat} and
 * {@code ws.client.requests} timers without the client depending on Micrometer. Set with
 * {@link WsClients#timingRecorder(WsClient, WsTimingRecorder)}; called on the client's
 * threads, so it must return quickly and never block. Each method does nothing unless
 * implemented.
 */
public interface WsTimingRecorder {

	/**
	 * A ping was answered by its pong.
	 * @param nanos the round trip, in nanoseconds
	 */
	default void latency(long nanos) {
	}

	/**
	 * A protocol heartbeat ({@link WsClient#heartbeat}) was acknowledged.
	 * @param nanos from the beat to its acknowledgement, in nanoseconds
	 */
	default void heartbeat(long nanos) {
	}

	/**
	 * A {@link WsClient#request(Object, Class) request} ended.
	 * @param outcome how it ended
	 * @param nanos from the request to its outcome, in nanoseconds
	 */
	default void request(WsRequestTimings.Outcome outcome, long nanos) {
	}

}
