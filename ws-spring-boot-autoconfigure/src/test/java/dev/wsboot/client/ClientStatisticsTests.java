package dev.wsboot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ClientStatistics}: the time of the last frame, kept as the reader's one clock
 * read.
 */
class ClientStatisticsTests {

	@Test
	void noFrameNoTime() {
		assertThat(new ClientStatistics().lastMessageReceived()).isEmpty();
	}

	@Test
	void lastFrameIsReportedInWallClockTime() {
		ClientStatistics statistics = new ClientStatistics();
		statistics.received(System.nanoTime() - TimeUnit.SECONDS.toNanos(5));
		Instant expected = Instant.now().minus(Duration.ofSeconds(5));
		assertThat(statistics.lastMessageReceived())
			.hasValueSatisfying((received) -> assertThat(received).isCloseTo(expected, within(Duration.ofMillis(500))));
	}

}
