package dev.wsboot.transport;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Utf8}: the starter's one UTF-8 length computation.
 */
class Utf8Tests {

	private static final String MIXED = "aé€😀b";

	@Test
	void lengthIsWhatTheEncoderProduces() {
		assertThat(Utf8.length("")).isZero();
		assertThat(Utf8.length(MIXED)).isEqualTo(MIXED.getBytes(StandardCharsets.UTF_8).length).isEqualTo(11);
		Random random = new Random(42);
		for (int i = 0; i < 1_000; i++) {
			String text = randomText(random);
			assertThat(Utf8.length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
		}
	}

	@Test
	void loneSurrogatesCountAsTheReplacementTheEncoderWrites() {
		assertThat(Utf8.length("\uD83D")).isEqualTo(3);
		assertThat(Utf8.length("x\uDE00")).isEqualTo(4);
	}

	@Test
	void fragmentEndNeverSplitsASurrogatePairAndStaysWithinTheBudget() {
		// a(1) é(2) €(3) 😀(4) b(1)
		assertThat(Utf8.fragmentEnd(MIXED, 0, 4)).isEqualTo(2);
		assertThat(Utf8.fragmentEnd(MIXED, 2, 4)).isEqualTo(3);
		assertThat(Utf8.fragmentEnd(MIXED, 3, 4)).isEqualTo(5);
		assertThat(Utf8.fragmentEnd(MIXED, 3, 6)).isEqualTo(6);
		assertThat(Utf8.fragmentEnd(MIXED, 5, 4)).isEqualTo(6);
		assertThat(Utf8.fragmentEnd(MIXED, 6, 4)).isEqualTo(6);
	}

	@Test
	void truncateKeepsTheLongestPrefixThatFits() {
		assertThat(Utf8.truncate(MIXED, 100)).isSameAs(MIXED);
		assertThat(Utf8.truncate(MIXED, 6)).isEqualTo("aé€");
		assertThat(Utf8.truncate(MIXED, 9)).isEqualTo("aé€");
		assertThat(Utf8.truncate(MIXED, 10)).isEqualTo("aé€😀");
		assertThat(Utf8.truncate("é".repeat(100), 123)).hasSize(61);
		assertThat(Utf8.truncate("", 0)).isEmpty();
	}

	private static String randomText(Random random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(20);
		for (int i = 0; i < length; i++) {
			switch (random.nextInt(4)) {
				case 0 -> text.append((char) random.nextInt(0x80));
				case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
				case 2 -> text.append((char) (0x800 + random.nextInt(0xD000 - 0x800)));
				default -> text.appendCodePoint(0x10000 + random.nextInt(0x10000));
			}
		}
		return text.toString();
	}

}
