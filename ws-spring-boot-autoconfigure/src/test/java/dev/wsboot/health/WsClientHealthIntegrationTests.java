package dev.wsboot.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.observability.ActuatorClient;
import dev.wsboot.observability.ActuatorClient.Response;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/health/wsClients/<name>} and the readiness group over HTTP, for a
 * client of a real server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,wsclients",
				"management.endpoint.health.show-details=always",
				"management.endpoint.health.group.readiness.include=readinessState,wsClients",
				"management.endpoint.health.group.feeds.include=wsClients/feed", "ws.clients.feed.subprotocols=v1.json",
				"ws.clients.feed.ping-interval=200ms", "ws.clients.feed.idle-timeout=5s",
				"ws.clients.feed.reconnect.initial-delay=100ms", "ws.clients.feed.reconnect.max-delay=300ms" })
@DirtiesContext
class WsClientHealthIntegrationTests {

	/**
	 * Generous: the build machine may be busy; waits end as soon as the condition holds.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start()
		.handshake((handshake) -> WsTestHandshakeResponse.accept().withSubprotocol("v1.json"));

	@DynamicPropertySource
	static void feed(DynamicPropertyRegistry registry) {
		server.bindTo(registry, "feed", "/feed?token=abc");
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("feed")
	WsClient feed;

	ActuatorClient actuator;

	@BeforeEach
	void connected() {
		this.actuator = new ActuatorClient(this.port);
		this.feed.connect();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
	}

	@Test
	void isUpWithMaskedUrlAndConnectionDetailsWhileOpen() {
		await().atMost(TIMEOUT).until(() -> this.actuator.get("/health/wsClients/feed").body().contains("latencyMs"));
		Response health = this.actuator.get("/health/wsClients/feed");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		Map<String, Object> details = health.read("$.details");
		assertThat(details).containsEntry("url", "ws://127.0.0.1:" + server.port() + "/feed?******")
			.containsEntry("state", "OPEN")
			.containsEntry("reconnectAttempts", 0)
			.containsEntry("subprotocol", "v1.json")
			.containsKeys("since", "lastMessageReceived");
		assertThat(((Number) details.get("latencyMs")).doubleValue()).isPositive();
		assertThat(Instant.parse((String) details.get("lastMessageReceived"))).isBefore(Instant.now().plusSeconds(1));
	}

	@Test
	void isAlwaysACompositeWithOneChildPerClient() {
		Response health = this.actuator.get("/health/wsClients");
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		assertThat(health.<Map<String, Object>>read("$.components")).containsOnlyKeys("feed");
		assertThat(this.actuator.get("/health").<String>read("$.components.wsClients.components.feed.status"))
			.isEqualTo("UP");
	}

	@Test
	void isDownWhileTheServerIsUnreachableAndUpOnceItIsBack() {
		try {
			server.stop();
			await().atMost(TIMEOUT)
				.until(() -> this.actuator.get("/health/wsClients/feed").body().contains("lastFailure"));
			Response health = this.actuator.get("/health/wsClients/feed");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.<String>read("$.status")).isEqualTo("DOWN");
			assertThat(health.<String>read("$.details.state")).isIn("RECONNECTING", "CONNECTING");
			assertThat(health.<Integer>read("$.details.reconnectAttempts")).isPositive();
			assertThat(health.<Integer>read("$.details.lastCloseCode")).isEqualTo(1006);
			assertThat(health.<String>read("$.details.lastFailure")).isNotBlank();
		}
		finally {
			server.restart();
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.actuator.get("/health/wsClients/feed").status()).isEqualTo(200));
		assertThat(this.actuator.get("/health/wsClients/feed").<Integer>read("$.details.reconnectAttempts")).isZero();
	}

	@Test
	void isOutOfServiceOnceTheApplicationDisconnectedTheClient() {
		WsTestConnection connection = latestConnection();
		Response disconnect = this.actuator.post("/wsclients/feed", "{\"action\":\"disconnect\"}");
		assertThat(disconnect.status()).isEqualTo(200);
		assertThat(connection.awaitClose().closeCode()).isEqualTo(1000);
		Response health = this.actuator.get("/health/wsClients/feed");
		assertThat(health.status()).isEqualTo(503);
		assertThat(health.<String>read("$.status")).isEqualTo("OUT_OF_SERVICE");
		assertThat(health.<String>read("$.details.state")).isEqualTo("CLOSED");
		assertThat(health.<Integer>read("$.details.lastCloseCode")).isEqualTo(1000);
		assertThat(this.feed.state()).isEqualTo(WsClientState.CLOSED);
	}

	@Test
	void readinessGroupFollowsTheClient() {
		assertThat(this.actuator.get("/health/readiness").status()).isEqualTo(200);
		try {
			server.stop();
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(this.actuator.get("/health/readiness").status()).isEqualTo(503));
			assertThat(this.actuator.get("/health/readiness").<String>read("$.status")).isEqualTo("DOWN");
		}
		finally {
			server.restart();
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.actuator.get("/health/readiness").status()).isEqualTo(200));
		this.actuator.post("/wsclients/feed", "{\"action\":\"disconnect\"}");
		Response readiness = this.actuator.get("/health/readiness");
		assertThat(readiness.status()).isEqualTo(503);
		assertThat(readiness.<String>read("$.status")).isEqualTo("OUT_OF_SERVICE");
	}

	@Test
	void aGroupCanIncludeASingleClient() {
		Response group = this.actuator.get("/health/feeds");
		assertThat(group.status()).isEqualTo(200);
		assertThat(group.<String>read("$.status")).isEqualTo("UP");
		this.actuator.post("/wsclients/feed", "{\"action\":\"disconnect\"}");
		assertThat(this.actuator.get("/health/feeds").status()).isEqualTo(503);
	}

	private static WsTestConnection latestConnection() {
		var connections = server.connections();
		return connections.get(connections.size() - 1);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HealthApplication {

	}

}
