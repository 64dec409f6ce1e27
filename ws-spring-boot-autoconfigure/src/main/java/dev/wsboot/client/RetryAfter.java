package dev.wsboot.client;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsHandshakeException;

/**
 * Reads {@code Retry-After} (seconds or an HTTP date) from a refused handshake.
 */
final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * How long the server asked to wait.
	 * @param failure the failure of a connection attempt
	 * @return the wait in milliseconds, 0 when none was given
	 */
	static long millis(@Nullable Throwable failure) {
		if (!(failure instanceof WsHandshakeException handshake) || handshake.status() != 503) {
			return 0;
		}
		for (Map.Entry<String, List<String>> header : handshake.responseHeaders().entrySet()) {
			if ("Retry-After".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
				return parse(header.getValue().get(0).trim());
			}
		}
		return 0;
	}

	private static long parse(String value) {
		try {
			return Duration.ofSeconds(Long.parseLong(value)).toMillis();
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
				return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
			}
			catch (DateTimeParseException notADate) {
				return 0;
			}
		}
	}

}
