package dev.wsboot.client;

/**
 * How a client's {@link WsClient#request(Object, Class) requests} end: each one is
 * handed, with its outcome and time from the request to the outcome, to the client's
 * {@link WsTimingRecorder} (the {@code ws.client.requests} timer).
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

	private WsRequestTimings() {
	}

}
