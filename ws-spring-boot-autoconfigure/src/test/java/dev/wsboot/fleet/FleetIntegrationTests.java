package dev.wsboot.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsShard;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.observability.ActuatorClient;
import dev.wsboot.observability.ActuatorClient.Response;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients created and removed at run time, name-pattern listeners and shards, against a
 * real server, seen through listeners, events, health, meters and the {@code wsclients}
 * endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,wsclients",
				"management.endpoint.health.show-details=always", "ws.templates.tenant.ping-interval=200ms",
				"ws.templates.tenant.idle-timeout=5s", "ws.clients.gateway.shards=3" })
@DirtiesContext
class FleetIntegrationTests {

	/**
	 * Generous: the build machine may be busy; waits end as soon as the condition holds.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start().onConnect((connection) -> {
	});

	@DynamicPropertySource
	static void urls(DynamicPropertyRegistry registry) {
		registry.add("ws.templates.tenant.url", () -> server.url("/tenant"));
		registry.add("ws.clients.gateway.url",
				() -> "ws://127.0.0.1:" + server.port() + "/gateway/{shard}?of={shards}");
	}

	@LocalServerPort
	int port;

	@Autowired
	WsClients clients;

	@Autowired
	MeterRegistry registry;

	@Autowired
	Listeners listeners;

	@AfterEach
	void removeCreatedClients() {
		for (String name : this.clients.names()) {
			if (name.startsWith("tenant-")) {
				this.clients.remove(name).join();
			}
		}
	}

	@Test
	void createdClientIsAFullClientUntilRemovedAndThenLeavesNothing() throws Exception {
		ActuatorClient actuator = new ActuatorClient(this.port);
		WsClient client = this.clients.create("tenant-7",
				(spec) -> spec.template("tenant").url(server.url("/tenant/7")).header("Authorization", "Bearer 7"));
		WsTestConnection connection = awaitHandshake("/tenant/7");
		assertThat(connection.handshake().header("Authorization")).isEqualTo("Bearer 7");
		await().atMost(TIMEOUT).until(client::isOpen);

		// a pattern listener registered at start-up receives from the client created
		// later
		connection.sendText("hello 7");
		await().atMost(TIMEOUT).until(() -> this.listeners.tenants.contains("tenant-7:hello 7"));
		client.sendText("to server").get(10, TimeUnit.SECONDS);
		assertThat(connection.awaitTexts(1)).containsExactly("to server");
		await().atMost(TIMEOUT)
			.until(() -> this.listeners.events.stream()
				.anyMatch((event) -> event instanceof WsClientOpenedEvent && event.client() == client));

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(actuator.get("/health/wsClients/tenant-7").<String>read("$.status"))
				.isEqualTo("UP"));
		assertThat(actuator.get("/health/wsClients").<java.util.Map<String, Object>>read("$.components"))
			.containsKey("tenant-7");
		Response entry = actuator.get("/wsclients/tenant-7");
		assertThat(entry.status()).isEqualTo(200);
		assertThat(entry.<String>read("$.state")).isEqualTo("OPEN");
		assertThat(actuator.get("/wsclients").body()).contains("tenant-7");
		// reading the gauge (as a publish or scrape does) registers the counters that are
		// non-zero
		assertThat(this.registry.get("ws.client.connections").tag("client", "tenant-7").gauge().value()).isEqualTo(1);
		assertThat(meterNames("tenant-7")).contains("ws.client.connections", "ws.client.messages.received",
				"ws.client.messages.sent", "ws.client.bytes.received", "ws.client.send.buffered", "ws.client.listener");

		this.clients.remove("tenant-7").get(10, TimeUnit.SECONDS);
		WsTestFrame close = connection.awaitFrame(WsTestFrame::isClose);
		assertThat(close.closeCode()).isEqualTo(1000);
		assertThat(this.clients.find("tenant-7")).isEmpty();
		assertThat(this.clients.names()).doesNotContain("tenant-7");
		assertThat(meterNames("tenant-7")).isEmpty();
		assertThat(actuator.get("/health/wsClients/tenant-7").status()).isEqualTo(404);
		assertThat(actuator.get("/wsclients/tenant-7").status()).isEqualTo(404);
		assertThat(actuator.get("/wsclients").body()).doesNotContain("tenant-7");
		await().atMost(TIMEOUT)
			.until(() -> this.listeners.events.stream()
				.anyMatch((event) -> event instanceof WsClientClosedEvent closed && closed.client() == client
						&& closed.code() == 1000 && !closed.willReconnect()));
		assertThat(client.state().name()).isEqualTo("CLOSED");
	}

	@Test
	void clientCreatedBeforeTheContextStartedConnectsWhenItStarts() {
		WsClient early = this.clients.get("early-1");
		assertThat(early.shard()).isEmpty();
		await().atMost(TIMEOUT).until(early::isOpen);
		assertThat(awaitHandshake("/early/1")).isNotNull();
	}

	@Test
	void createdClientReconnectsAfterTheServerDropsIt() {
		WsClient client = this.clients.create("tenant-8",
				(spec) -> spec.template("tenant")
					.url(server.url("/tenant/8"))
					.set("reconnect.initial-delay", "100ms")
					.set("reconnect.max-delay", "200ms"));
		awaitHandshake("/tenant/8").dropTcp();
		awaitHandshake("/tenant/8");
		await().atMost(TIMEOUT).until(client::isOpen);
		assertThat(client.snapshot().orElseThrow().reconnects()).isEqualTo(1);
	}

	@Test
	void shardsConnectToTheirOwnUrlsAndOneListenerHearsThemAll() {
		List<WsClient> group = this.clients.group("gateway");
		assertThat(group).extracting(WsClient::name).containsExactly("gateway-0", "gateway-1", "gateway-2");
		assertThat(group).extracting((client) -> client.shard().map(WsShard::index).orElse(-1))
			.containsExactly(0, 1, 2);
		for (int index = 0; index < 3; index++) {
			WsTestConnection connection = awaitHandshake("/gateway/" + index);
			assertThat(connection.handshake().query()).isEqualTo("of=3");
			WsClient shard = group.get(index);
			await().atMost(TIMEOUT).until(shard::isOpen);
			connection.sendText("from " + index);
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.listeners.gateway).containsExactlyInAnyOrder("gateway-0:from 0",
					"gateway-1:from 1", "gateway-2:from 2"));
		assertThat(this.listeners.tenants).noneMatch((text) -> text.startsWith("gateway"));
	}

	private static WsTestConnection awaitHandshake(String path) {
		await().atMost(TIMEOUT)
			.until(() -> server.connections()
				.stream()
				.anyMatch((connection) -> path.equals(connection.handshake().path())));
		List<WsTestConnection> matching = server.connections()
			.stream()
			.filter((connection) -> path.equals(connection.handshake().path()))
			.toList();
		return matching.get(matching.size() - 1);
	}

	private Set<String> meterNames(String client) {
		return this.registry.getMeters()
			.stream()
			.filter((meter) -> client.equals(meter.getId().getTag("client")))
			.map((meter) -> meter.getId().getName())
			.collect(Collectors.toSet());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Config {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

		@Bean
		Early early(WsClients clients) {
			return new Early(clients);
		}

	}

	/**
	 * Creates a client while the context is being refreshed, before the clients start.
	 */
	static class Early {

		Early(WsClients clients) {
			WsClient client = clients.create("early-1", (spec) -> spec.template("tenant").url(server.url("/early/1")));
			assertThat(client.state().name()).isEqualTo("NEW");
		}

	}

	static class Listeners {

		final List<String> tenants = new CopyOnWriteArrayList<>();

		final List<String> gateway = new CopyOnWriteArrayList<>();

		final List<WsClientEvent> events = new CopyOnWriteArrayList<>();

		@WsListener("tenant-*")
		void onTenant(String text, WsClient client) {
			this.tenants.add(client.name() + ":" + text);
		}

		@WsListener("gateway")
		void onGateway(String text, WsClient client) {
			this.gateway.add(client.name() + ":" + text);
		}

		@EventListener
		void on(WsClientEvent event) {
			this.events.add(event);
		}

	}

}
