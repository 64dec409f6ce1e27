package dev.wsboot.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;

/**
 * Health of one managed client: {@code UP} when open, {@code OUT_OF_SERVICE} when never
 * started or stopped by the application, {@code DOWN} otherwise. Details never contain
 * secrets.
 */
public final class WsClientHealthIndicator extends AbstractHealthIndicator {

	private final WsClient client;

	private final WsClients clients;

	/**
	 * Create an indicator for a client.
	 * @param client the client
	 * @param clients the registry, for the client's snapshot
	 */
	public WsClientHealthIndicator(WsClient client, WsClients clients) {
		super("WebSocket client health check failed");
		this.client = client;
		this.clients = clients;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		WsClientSnapshot snapshot = this.clients.snapshot(this.client.name()).orElse(null);
		WsClientState state = this.client.state();
		if (state == WsClientState.OPEN) {
			builder.up();
		}
		else if (state == WsClientState.NEW
				|| (state == WsClientState.CLOSED && snapshot != null && snapshot.stoppedByApplication())) {
			builder.outOfService();
		}
		else {
			builder.down();
		}
		builder.withDetail("state", state.name());
		if (snapshot != null) {
			builder.withDetail("url", snapshot.url());
			builder.withDetail("since", snapshot.since().toString());
			builder.withDetail("reconnectAttempts", snapshot.reconnectAttempts());
			if (snapshot.latency() != null) {
				builder.withDetail("latencyMs", snapshot.latency().toNanos() / 1_000_000.0);
			}
			if (snapshot.lastMessageReceived() != null) {
				builder.withDetail("lastMessageReceived", snapshot.lastMessageReceived().toString());
			}
			if (snapshot.subprotocol() != null) {
				builder.withDetail("subprotocol", snapshot.subprotocol());
			}
			if (snapshot.lastCloseCode() != 0) {
				builder.withDetail("lastCloseCode", snapshot.lastCloseCode());
				builder.withDetail("lastCloseReason", snapshot.lastCloseReason());
			}
			if (snapshot.lastFailure() != null) {
				builder.withDetail("lastFailure", snapshot.lastFailure());
			}
		}
	}

}
