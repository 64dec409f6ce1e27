package dev.wsboot.faults;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.health.contributor.Status;

import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers that stop talking without closing anything: each is declared dead within
 * {@code idle-timeout} + 1 s of its last sign of life and replaced by a new connection.
 */
class DeadPeerFaultTests {

	private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@ParameterizedTest(name = "{0} peer, transport {1}")
	@CsvSource({ "half-open, tyrus", "half-open, jdk", "silent, tyrus", "silent, jdk", "stalled mid-frame, tyrus",
			"stalled mid-frame, jdk" })
	@Timeout(value = 1, unit = TimeUnit.MINUTES)
	void isDetectedWithinTheIdleTimeoutPlusOneSecondAndReplaced(String fault, String transport) {
		try (WsTestServer server = WsTestServer.start()) {
			server.onConnect(firstConnectionOnly(behaviour(fault)));
			FaultApps.runner()
				.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"),
						"ws.clients.feed.transport=" + transport, "ws.clients.feed.ping-interval=250ms",
						"ws.clients.feed.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms",
						"ws.clients.feed.reconnect.initial-delay=50ms")
				.run((context) -> {
					ClientEvents events = context.getBean(ClientEvents.class);
					await().atMost(TIMEOUT).until(() -> !events.closed("feed").isEmpty());
					ClientEvents.Recorded opened = events.of(WsClientOpenedEvent.class, "feed").get(0);
					ClientEvents.Recorded closed = events.closed("feed").get(0);
					Duration detection = Duration.ofNanos(closed.nanos() - opened.nanos());
					assertThat(closed.as(WsClientClosedEvent.class).code()).isEqualTo(1006);
					assertThat(closed.as(WsClientClosedEvent.class).reason()).contains("idle-timeout");
					assertThat(detection).isGreaterThan(IDLE_TIMEOUT.minusMillis(100))
						.isLessThan(IDLE_TIMEOUT.plusSeconds(1));
					await().atMost(TIMEOUT).until(() -> events.opened("feed") == 2);
					assertThat(server.connections()).hasSize(2);
					await().atMost(TIMEOUT).until(() -> FaultApps.health(context, "feed").equals(Status.UP));
					FaultReport.add(fault + " peer (idle-timeout 1 s, ping 250 ms)", transport,
							"last sign of life → closed (1006)", FaultReport.ms(detection));
				});
		}
	}

	private static Consumer<WsTestConnection> behaviour(String fault) {
		return switch (fault) {
			// stops reading the socket: no pongs, no close frame, TCP stays up
			case "half-open" -> WsTestConnection::stopReading;
			// reads, but never answers a ping and sends nothing
			case "silent" -> WsTestConnection::stopAnsweringPings;
			// announces a 100-byte text frame, sends 10 bytes of it and nothing more
			case "stalled mid-frame" -> WsTestConnection::stallMidFrame;
			default -> throw new IllegalArgumentException(fault);
		};
	}

	private static Consumer<WsTestConnection> firstConnectionOnly(Consumer<WsTestConnection> fault) {
		AtomicInteger connections = new AtomicInteger();
		return (connection) -> {
			if (connections.incrementAndGet() == 1) {
				fault.accept(connection);
			}
		};
	}

}
