package dev.wsboot.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OwnershipPlanTests {

	@Test
	void shareIsTheCeilingOfClientsOverMembersCappedByMaxOwned() {
		assertThat(OwnershipPlan.share(6, 1, 0)).isEqualTo(6);
		assertThat(OwnershipPlan.share(6, 2, 0)).isEqualTo(3);
		assertThat(OwnershipPlan.share(7, 3, 0)).isEqualTo(3);
		assertThat(OwnershipPlan.share(6, 4, 0)).isEqualTo(2);
		assertThat(OwnershipPlan.share(1, 3, 0)).isEqualTo(1);
		assertThat(OwnershipPlan.share(0, 3, 0)).isZero();
		assertThat(OwnershipPlan.share(6, 1, 2)).isEqualTo(2);
	}

	@Test
	void surplusIsHandedOverOnlyOnceTheMemberCountHeldStill() {
		assertThat(OwnershipPlan.surplus(6, 2, 0, true)).isEqualTo(4);
		assertThat(OwnershipPlan.surplus(6, 2, 0, false)).isZero();
		assertThat(OwnershipPlan.surplus(2, 2, 0, true)).isZero();
	}

	@Test
	void maxOwnedIsEnforcedAtOnce() {
		assertThat(OwnershipPlan.surplus(5, 3, 3, false)).isEqualTo(2);
	}

	@Test
	void aConnectionWithoutRenewalIsGoneBeforeTheLeaseExpires() {
		WsClusterSettings settings = new WsClusterSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), 0,
				Duration.ofSeconds(5));
		Duration gone = settings.dropAfter().plus(settings.watchdogPeriod()).plus(settings.dropCloseTimeout());
		assertThat(gone).isLessThan(settings.lease());
		assertThat(settings.tick()).isEqualTo(Duration.ofSeconds(1));
		WsClusterSettings shortLease = new WsClusterSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), 0,
				Duration.ofSeconds(5));
		assertThat(shortLease.tick()).isLessThanOrEqualTo(Duration.ofMillis(667));
		assertThat(shortLease.dropAfter().plus(shortLease.watchdogPeriod()).plus(shortLease.dropCloseTimeout()))
			.isLessThan(shortLease.lease());
	}

	@Test
	void settingsAreChecked() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WsClusterSettings(Duration.ofSeconds(10), Duration.ZERO, 0, Duration.ZERO))
			.withMessageContaining("ws.cluster.acquire-interval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WsClusterSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), -1, Duration.ZERO))
			.withMessageContaining("ws.cluster.max-owned");
	}

}
