package dev.wsboot.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How {@link WsClient#request(Object, Class)} matches replies to requests
 * ({@code ws.clients.<name>.correlation.*}). Pointers are JSON Pointers (RFC 6901).
 *
 * @param requestId where the id goes in a request; {@code null} disables requests
 * @param replyId where the id is in a reply
 * @param replyPayload the part of a reply converted to the reply type; {@code null} for
 * the whole reply
 * @param error where a reply carries an error; {@code null} when replies carry none
 * @param timeout how long a request waits for its reply
 */
public record WsCorrelationSettings(@Nullable String requestId, @Nullable String replyId, @Nullable String replyPayload,
		@Nullable String error, Duration timeout) {

	/** Requests disabled. */
	public static final WsCorrelationSettings NONE = new WsCorrelationSettings(null, null, null, null,
			Duration.ofSeconds(30));

	public WsCorrelationSettings {
		Assert.notNull(timeout, "'timeout' must not be null");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		if (replyId == null) {
			replyId = requestId;
		}
	}

	/**
	 * Whether requests are enabled.
	 * @return whether a request-id pointer is set
	 */
	public boolean enabled() {
		return this.requestId != null;
	}

}
