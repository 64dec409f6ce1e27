package dev.wsboot.client;

import java.util.concurrent.atomic.LongAdder;

/**
 * How a client's {@link WsClient#request(Object, Class) requests} ended, counted and
 * timed by outcome (from the request to its outcome): read by the
 * {@code ws.client.requests} timer.
 */
public final class WsRequestTimings {

	/**
	 * How a request ended.
	 */
	public enum Outcome {

		/** A reply arrived and was converted. */
		SUCCESS("success"),

		/**
		 * The reply carried an error, could not be converted, or the request could not be
		 * sent.
		 */
		ERROR("error"),

		/** No reply within the timeout. */
		TIMEOUT("timeout"),

		/** The connection (or the client) ended before the reply arrived. */
		CONNECTION_LOST("connection-lost");

		private final String tag;

		Outcome(String tag) {
			this.tag = tag;
		}

		/**
		 * The value of the {@code outcome} tag.
		 * @return the tag value
		 */
		public String tag() {
			return this.tag;
		}

	}

	private final LongAdder[] counts = new LongAdder[Outcome.values().length];

	private final LongAdder[] nanos = new LongAdder[Outcome.values().length];

	WsRequestTimings() {
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] = new LongAdder();
			this.nanos[i] = new LongAdder();
		}
	}

	void record(Outcome outcome, long nanos) {
		this.counts[outcome.ordinal()].increment();
		this.nanos[outcome.ordinal()].add(nanos);
	}

	/**
	 * How many requests ended with an outcome.
	 * @param outcome the outcome
	 * @return the count
	 */
	public long count(Outcome outcome) {
		return this.counts[outcome.ordinal()].sum();
	}

	/**
	 * The total time of the requests that ended with an outcome.
	 * @param outcome the outcome
	 * @return the total, in nanoseconds
	 */
	public long totalNanos(Outcome outcome) {
		return this.nanos[outcome.ordinal()].sum();
	}

}
