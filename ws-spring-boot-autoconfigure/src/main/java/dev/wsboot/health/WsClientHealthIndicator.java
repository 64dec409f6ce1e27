package dev.wsboot.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsSecrets;

/**
 * Health of one managed client: {@code UP} when open and ready (or in {@code STANDBY}: a
 * cluster singleton another replica owns), {@code OUT_OF_SERVICE} when never started or
 * stopped by the application, {@code DOWN} otherwise (connecting, reconnecting, or
 * reconnecting gave up).
 * <p>
 * Details: {@code url} (user-info and query string masked), {@code state}, {@code since},
 * {@code reconnectAttempts} (consecutive failed attempts since the last open connection),
 * {@code ready} (and {@code notReadyReason} while an open connection is not ready), and
 * when known {@code latencyMs}, {@code lastMessageReceived}, {@code subprotocol},
 * {@code lastCloseCode}, {@code lastCloseReason}, {@code lastFailure} and, for cluster
 * singletons, {@code owner} (whether this replica owns the client). Header values are
 * never shown.
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
		WsClientSnapshot snapshot = this.client.snapshot().orElse(null);
		if (snapshot != null) {
			describe(builder, snapshot);
		}
		else {
			describe(builder, this.client);
		}
	}

	/**
	 * The health status of a client in the given state.
	 * @param state the client's state
	 * @param stoppedByApplication whether the application closed the client
	 * @return {@code UP}, {@code OUT_OF_SERVICE} or {@code DOWN}
	 */
	static Status status(WsClientState state, boolean stoppedByApplication) {
		return switch (state) {
			// a cluster singleton another replica owns: healthy, nothing to do here
			case OPEN, STANDBY -> Status.UP;
			// CLOSING is only entered when the application asked to close
			case NEW, CLOSING -> Status.OUT_OF_SERVICE;
			case CLOSED -> stoppedByApplication ? Status.OUT_OF_SERVICE : Status.DOWN;
			case CONNECTING, RECONNECTING -> Status.DOWN;
		};
	}

	private static void describe(Health.Builder builder, WsClientSnapshot snapshot) {
		Status status = status(snapshot.state(), snapshot.stoppedByApplication());
		// open but not ready (ready-on: application, or notReady): the protocol's
		// handshake is not done
		boolean notReady = snapshot.state() == WsClientState.OPEN && !snapshot.protocol().ready();
		builder.status(notReady ? Status.DOWN : status)
			.withDetail("url", snapshot.url())
			.withDetail("state", snapshot.state().name())
			.withDetail("since", snapshot.since().toString())
			.withDetail("reconnectAttempts", snapshot.reconnectAttempts())
			.withDetail("ready", snapshot.protocol().ready());
		if (snapshot.protocol().notReadyReason() != null) {
			builder.withDetail("notReadyReason", snapshot.protocol().notReadyReason());
		}
		if (snapshot.latency() != null) {
			builder.withDetail("latencyMs", millis(snapshot.latency()));
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
		if (snapshot.owner() != null) {
			builder.withDetail("owner", snapshot.owner());
		}
	}

	/** A client not managed by the starter: what its interface tells. */
	private static void describe(Health.Builder builder, WsClient client) {
		WsClientState state = client.state();
		builder.status(status(state, false))
			.withDetail("url", WsSecrets.mask(client.url()))
			.withDetail("state", state.name());
		client.latency().ifPresent((latency) -> builder.withDetail("latencyMs", millis(latency)));
		client.lastMessageReceived().ifPresent((time) -> builder.withDetail("lastMessageReceived", time.toString()));
		client.subprotocol().ifPresent((subprotocol) -> builder.withDetail("subprotocol", subprotocol));
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1_000_000.0;
	}

}
