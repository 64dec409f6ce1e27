package dev.wsboot.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import dev.wsboot.client.WsClientState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link WsClientHealthIndicator} maps a client's state to a health status.
 */
class WsClientHealthIndicatorTests {

	@Test
	void anOpenClientIsUp() {
		assertThat(WsClientHealthIndicator.status(WsClientState.OPEN, false)).isEqualTo(Status.UP);
	}

	@Test
	void aClientThatNeverStartedIsOutOfService() {
		assertThat(WsClientHealthIndicator.status(WsClientState.NEW, false)).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void aClientClosedOrClosingByTheApplicationIsOutOfService() {
		assertThat(WsClientHealthIndicator.status(WsClientState.CLOSED, true)).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(WsClientHealthIndicator.status(WsClientState.CLOSING, true)).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void aClientThatGaveUpReconnectingIsDown() {
		assertThat(WsClientHealthIndicator.status(WsClientState.CLOSED, false)).isEqualTo(Status.DOWN);
	}

	@Test
	void aClientStillConnectingOrReconnectingIsDown() {
		assertThat(WsClientHealthIndicator.status(WsClientState.CONNECTING, false)).isEqualTo(Status.DOWN);
		assertThat(WsClientHealthIndicator.status(WsClientState.RECONNECTING, false)).isEqualTo(Status.DOWN);
	}

}
