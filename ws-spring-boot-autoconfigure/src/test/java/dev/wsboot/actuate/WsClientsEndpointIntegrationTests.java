package dev.wsboot.actuate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

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
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code wsclients} endpoint over HTTP and JMX, for clients of a real server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,wsclients", "spring.jmx.enabled=true",
				"management.endpoints.jmx.exposure.include=wsclients", "management.endpoints.jmx.unique-names=true",
				"ws.clients.feed.reconnect.initial-delay=100ms", "ws.clients.feed.reconnect.max-delay=300ms",
				"ws.clients.idle.auto-startup=false" })
@DirtiesContext
class WsClientsEndpointIntegrationTests {

	/**
	 * Generous: the build machine may be busy; waits end as soon as the condition holds.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	@DynamicPropertySource
	static void clients(DynamicPropertyRegistry registry) {
		server.bindTo(registry, "feed", "/feed?token=abc");
		server.bindTo(registry, "idle", "/idle");
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
	void listsEveryClientWithMaskedUrlStateAndCounters() {
		Response before = this.actuator.get("/wsclients");
		long textIn = before.<Number>read("$.clients.feed.messages.received.text").longValue();
		long binaryIn = before.<Number>read("$.clients.feed.messages.received.binary").longValue();
		long textOut = before.<Number>read("$.clients.feed.messages.sent.text").longValue();
		long bytesIn = before.<Number>read("$.clients.feed.bytes.received").longValue();
		long bytesOut = before.<Number>read("$.clients.feed.bytes.sent").longValue();
		this.feed.sendText("hello").join();
		this.feed.sendText("world!").join();
		this.feed.sendBinary(new byte[] { 1, 2, 3 }).join();
		await().atMost(TIMEOUT)
			.until(() -> this.actuator.get("/wsclients")
				.<Number>read("$.clients.feed.messages.received.binary")
				.longValue() == binaryIn + 1);
		Response all = this.actuator.get("/wsclients");
		assertThat(all.status()).isEqualTo(200);
		assertThat(all.<Map<String, Object>>read("$.clients")).containsOnlyKeys("feed", "idle");
		assertThat(all.<String>read("$.clients.feed.url"))
			.isEqualTo("ws://127.0.0.1:" + server.port() + "/feed?******");
		assertThat(all.<String>read("$.clients.feed.state")).isEqualTo("OPEN");
		assertThat(Instant.parse(all.read("$.clients.feed.since"))).isBeforeOrEqualTo(Instant.now());
		assertThat(all.<Number>read("$.clients.feed.messages.received.text").longValue()).isEqualTo(textIn + 2);
		assertThat(all.<Number>read("$.clients.feed.messages.sent.text").longValue()).isEqualTo(textOut + 2);
		assertThat(all.<Number>read("$.clients.feed.bytes.received").longValue()).isEqualTo(bytesIn + 14);
		assertThat(all.<Number>read("$.clients.feed.bytes.sent").longValue()).isEqualTo(bytesOut + 14);
		assertThat(all.<Number>read("$.clients.feed.bufferedBytes").longValue()).isZero();
		assertThat(all.<Object>read("$.clients.feed.reconnects")).isInstanceOf(Number.class);
		assertThat(all.<String>read("$.clients.idle.state")).isEqualTo("NEW");
		assertThat(all.<String>read("$.clients.idle.url")).isEqualTo("ws://127.0.0.1:" + server.port() + "/idle");
	}

	@Test
	void describesOneClient() {
		Response feed = this.actuator.get("/wsclients/feed");
		assertThat(feed.status()).isEqualTo(200);
		assertThat(feed.<String>read("$.name")).isEqualTo("feed");
		assertThat(feed.<String>read("$.state")).isEqualTo("OPEN");
		assertThat(feed.<String>read("$.url")).endsWith("/feed?******");
		assertThat(feed.<Boolean>read("$.stoppedByApplication")).isFalse();
	}

	@Test
	void answersNotFoundForAnUnknownClient() {
		assertThat(this.actuator.get("/wsclients/nope").status()).isEqualTo(404);
		Response action = this.actuator.post("/wsclients/nope", "{\"action\":\"connect\"}");
		assertThat(action.status()).isEqualTo(404);
		assertThat(action.<String>read("$.message")).contains("'nope'").contains("feed", "idle");
	}

	@Test
	void answersBadRequestListingTheValidActionsForAnUnknownOrMissingAction() {
		Response unknown = this.actuator.post("/wsclients/feed", "{\"action\":\"explode\"}");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.<String>read("$.message")).contains("'explode'")
			.contains("valid actions: connect, disconnect, reconnect");
		Response missing = this.actuator.post("/wsclients/feed", "{}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.<String>read("$.message")).contains("valid actions: connect, disconnect, reconnect");
		assertThat(this.feed.state()).isEqualTo(WsClientState.OPEN);
	}

	@Test
	void disconnectClosesWithNormalClosureAndStaysClosedUntilConnect() {
		WsTestConnection connection = latestConnection();
		Response disconnect = this.actuator.post("/wsclients/feed", "{\"action\":\"disconnect\"}");
		assertThat(disconnect.status()).isEqualTo(200);
		assertThat(disconnect.<String>read("$.state")).isEqualTo("CLOSED");
		assertThat(disconnect.<Boolean>read("$.stoppedByApplication")).isTrue();
		assertThat(disconnect.<Integer>read("$.lastClose.code")).isEqualTo(1000);
		assertThat(connection.awaitClose().closeCode()).isEqualTo(1000);
		int connections = server.connections().size();
		await().during(Duration.ofMillis(600))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.feed.state() == WsClientState.CLOSED && server.connections().size() == connections);
		Response connect = this.actuator.post("/wsclients/feed", "{\"action\":\"connect\"}");
		assertThat(connect.status()).isEqualTo(200);
		assertThat(connect.<String>read("$.state")).isIn("CONNECTING", "OPEN");
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		assertThat(server.connections()).hasSize(connections + 1);
	}

	@Test
	void reconnectClosesWithNormalClosureAndConnectsAgain() {
		WsTestConnection connection = latestConnection();
		Response reconnect = this.actuator.post("/wsclients/feed", "{\"action\":\"reconnect\"}");
		assertThat(reconnect.status()).isEqualTo(200);
		assertThat(reconnect.<String>read("$.state")).isIn("CONNECTING", "RECONNECTING", "OPEN");
		assertThat(connection.awaitClose().closeCode()).isEqualTo(1000);
		await().atMost(TIMEOUT).until(() -> latestConnection() != connection && this.feed.isOpen());
		assertThat(this.actuator.get("/wsclients/feed").<String>read("$.state")).isEqualTo("OPEN");
	}

	@Test
	void readsTheClientsOverJmx() throws Exception {
		MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
		ObjectName name = endpointMBean(mbeans);
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> clients = (Map<String, Map<String, Object>>) ((Map<String, Object>) mbeans
			.invoke(name, "clients", new Object[0], new String[0])).get("clients");
		assertThat(clients).containsOnlyKeys("feed", "idle");
		assertThat(clients.get("feed")).containsEntry("state", "OPEN")
			.containsEntry("url", "ws://127.0.0.1:" + server.port() + "/feed?******");
		@SuppressWarnings("unchecked")
		Map<String, Object> idle = (Map<String, Object>) mbeans.invoke(name, "client", new Object[] { "idle" },
				new String[] { String.class.getName() });
		assertThat(idle).containsEntry("state", "NEW");
	}

	@Test
	void actsOverJmxAndRejectsAnUnknownAction() throws Exception {
		MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
		ObjectName name = endpointMBean(mbeans);
		String[] signature = { String.class.getName(), String.class.getName() };
		assertThatExceptionOfType(ReflectionException.class)
			.isThrownBy(() -> mbeans.invoke(name, "action", new Object[] { "feed", "explode" }, signature))
			.withMessageContaining("valid actions: connect, disconnect, reconnect");
		assertThatExceptionOfType(ReflectionException.class)
			.isThrownBy(() -> mbeans.invoke(name, "action", new Object[] { "nope", "connect" }, signature))
			.withMessageContaining("No WebSocket client named 'nope'");
		WsTestConnection connection = latestConnection();
		@SuppressWarnings("unchecked")
		Map<String, Object> disconnected = (Map<String, Object>) mbeans.invoke(name, "action",
				new Object[] { "feed", "disconnect" }, signature);
		assertThat(disconnected).containsEntry("state", "CLOSED");
		assertThat(connection.awaitClose().closeCode()).isEqualTo(1000);
	}

	private static ObjectName endpointMBean(MBeanServer mbeans) throws Exception {
		Set<ObjectName> names = mbeans
			.queryNames(new ObjectName("org.springframework.boot:type=Endpoint,name=Wsclients,*"), null);
		assertThat(names).hasSize(1);
		return names.iterator().next();
	}

	private static WsTestConnection latestConnection() {
		List<WsTestConnection> connections = server.connections();
		return connections.get(connections.size() - 1);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class EndpointApplication {

	}

}
