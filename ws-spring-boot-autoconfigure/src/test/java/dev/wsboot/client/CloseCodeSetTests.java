package dev.wsboot.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Parsing and matching {@code reconnect.stop-on-close-codes}.
 */
class CloseCodeSetTests {

	@Test
	void containsListedCodesAndEveryCodeOfARangeInclusive() {
		CloseCodeSet codes = CloseCodeSet.parse(List.of("4004", " 4010 - 4014 ", "1008"));
		assertThat(codes.contains(4004)).isTrue();
		assertThat(codes.contains(4010)).isTrue();
		assertThat(codes.contains(4012)).isTrue();
		assertThat(codes.contains(4014)).isTrue();
		assertThat(codes.contains(1008)).isTrue();
		assertThat(codes.contains(4009)).isFalse();
		assertThat(codes.contains(4015)).isFalse();
		assertThat(codes.contains(4005)).isFalse();
		assertThat(codes).hasToString("[4004, 4010-4014, 1008]");
	}

	@Test
	void anEmptyListContainsNothing() {
		CloseCodeSet codes = CloseCodeSet.parse(List.of());
		assertThat(codes.isEmpty()).isTrue();
		assertThat(codes.contains(1000)).isFalse();
		assertThat(codes).isEqualTo(CloseCodeSet.none());
	}

	@Test
	void rejectsWhatIsNeitherACodeNorARange() {
		assertThatIllegalArgumentException().isThrownBy(() -> CloseCodeSet.parse(List.of("4004", "abc")))
			.withMessageContaining("'abc' is neither a close code");
		assertThatIllegalArgumentException().isThrownBy(() -> CloseCodeSet.parse(List.of("4014-4010")))
			.withMessageContaining("4014 is greater than 4010");
		assertThatIllegalArgumentException().isThrownBy(() -> CloseCodeSet.parse(List.of("999")))
			.withMessageContaining("not a close code (1000 to 4999)");
		assertThatIllegalArgumentException().isThrownBy(() -> CloseCodeSet.parse(List.of("4000-5000")))
			.withMessageContaining("5000");
		assertThatIllegalArgumentException().isThrownBy(() -> CloseCodeSet.parse(List.of("-4004")))
			.withMessageContaining("'-4004'");
	}

}
