package dev.wsboot.transport.tyrus;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectThrottle}.
 */
class ConnectThrottleTests {

	private final ConnectThrottle throttle = new ConnectThrottle(2);

	private final List<Integer> started = new ArrayList<>();

	@Test
	void startsAtMostTheLimitAndTheRestInOrderAsPermitsAreReleased() {
		for (int i = 0; i < 5; i++) {
			int attempt = i;
			this.throttle.submit(() -> this.started.add(attempt));
		}
		assertThat(this.started).containsExactly(0, 1);
		assertThat(this.throttle.waiting()).isEqualTo(3);
		this.throttle.release();
		assertThat(this.started).containsExactly(0, 1, 2);
		this.throttle.release();
		this.throttle.release();
		assertThat(this.started).containsExactly(0, 1, 2, 3, 4);
		assertThat(this.throttle.waiting()).isZero();
	}

	@Test
	void anAttemptThatIsNotInFlightGivesItsPermitToTheNext() {
		this.throttle.submit(() -> this.started.add(0));
		this.throttle.submit(() -> this.started.add(1));
		this.throttle.submit(() -> {
			this.started.add(2);
			return false;
		});
		this.throttle.submit(() -> {
			throw new IllegalStateException("failed to start");
		});
		this.throttle.submit(() -> this.started.add(4));
		this.throttle.release();
		// 2 failed at once, 3 threw: both gave their permit back, so 4 is in flight
		assertThat(this.started).containsExactly(0, 1, 2, 4);
		assertThat(this.throttle.waiting()).isZero();
	}

	@Test
	void anAttemptCompletingWhileStartingDoesNotRecurse() {
		ConnectThrottle throttle = new ConnectThrottle(1);
		int[] depth = { 0 };
		int[] maxDepth = { 0 };
		for (int i = 0; i < 1000; i++) {
			throttle.submit(() -> {
				depth[0]++;
				maxDepth[0] = Math.max(maxDepth[0], depth[0]);
				this.started.add(depth[0]);
				throttle.release();
				depth[0]--;
				return true;
			});
		}
		assertThat(this.started).hasSize(1000);
		assertThat(maxDepth[0]).isEqualTo(1);
	}

}
