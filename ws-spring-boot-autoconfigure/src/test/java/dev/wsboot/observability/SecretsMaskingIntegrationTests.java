package dev.wsboot.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.event.WsClientEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestHandshake;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose URL carries a password and a token and whose handshake carries a bearer
 * token: none of the three ever shows in the logs (at DEBUG), health, the
 * {@code wsclients} endpoint, the metrics or the events, through connect, failure, close
 * and reconnect.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,wsclients,metrics",
				"management.endpoint.health.show-details=always", "logging.level.dev.wsboot=DEBUG",
				"ws.clients.feed.headers[Authorization]=Bearer " + SecretsMaskingIntegrationTests.HEADER_SECRET,
				"ws.clients.feed.ping-interval=200ms", "ws.clients.feed.idle-timeout=5s",
				"ws.clients.feed.reconnect.initial-delay=100ms", "ws.clients.feed.reconnect.max-delay=300ms" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class SecretsMaskingIntegrationTests {

	/**
	 * Generous: the build machine may be busy; waits end as soon as the condition holds.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final String HEADER_SECRET = "s3cr3t-t0ken";

	static final String PASSWORD = "pa55w0rd";

	static final String QUERY_SECRET = "qu3ry-s3cr3t";

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	@DynamicPropertySource
	static void feed(DynamicPropertyRegistry registry) {
		registry.add("ws.clients.feed.url",
				() -> "ws://user:" + PASSWORD + "@127.0.0.1:" + server.port() + "/feed?token=" + QUERY_SECRET);
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("feed")
	WsClient feed;

	@Autowired
	MeterRegistry meterRegistry;

	@Autowired
	Events events;

	@Test
	void neverShowsTheUrlCredentialsTheQueryOrHeaderValues(CapturedOutput output) {
		ActuatorClient actuator = new ActuatorClient(this.port);
		StringBuilder shown = new StringBuilder();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		WsTestHandshake handshake = server.handshakes().get(0);
		assertThat(handshake.header("Authorization")).isEqualTo("Bearer " + HEADER_SECRET);
		assertThat(handshake.query()).contains(QUERY_SECRET);
		this.feed.sendText("hello").join();
		await().atMost(TIMEOUT).until(() -> actuator.get("/health/wsClients/feed").body().contains("latencyMs"));
		collect(shown, actuator);

		// the server refuses the handshake, then goes away: failed attempts, 1006 close
		server.handshake((request) -> WsTestHandshakeResponse.refuse(401));
		latestConnection().dropTcp();
		await().atMost(TIMEOUT)
			.until(() -> this.events.failures()
				.stream()
				.anyMatch((event) -> event.cause().getMessage() != null && event.cause().getMessage().contains("401")));
		collect(shown, actuator);
		server.stop();
		int failures = this.events.failures().size();
		await().atMost(TIMEOUT).until(() -> this.events.failures().size() > failures + 1);
		collect(shown, actuator);
		server.handshake((request) -> WsTestHandshakeResponse.accept());
		server.restart();
		await().atMost(TIMEOUT).until(this.feed::isOpen);

		// the application closes, connects and drops the connection
		assertThat(actuator.post("/wsclients/feed", "{\"action\":\"reconnect\"}").status()).isEqualTo(200);
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		int connections = server.connections().size();
		this.feed.terminate();
		await().atMost(TIMEOUT).until(() -> this.feed.isOpen() && server.connections().size() == connections + 1);
		assertThat(actuator.post("/wsclients/feed", "{\"action\":\"disconnect\"}").status()).isEqualTo(200);
		assertThat(this.feed.state()).isEqualTo(WsClientState.CLOSED);
		collect(shown, actuator);
		this.events.all().forEach((event) -> shown.append(event).append('\n'));
		this.events.failures().forEach((event) -> shown.append(stackTrace(event.cause())));

		assertThat(server.handshakes())
			.allSatisfy((request) -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + HEADER_SECRET));
		String everything = shown + output.getAll();
		assertThat(everything).contains("ws://******@127.0.0.1:" + server.port() + "/feed?******")
			.contains("reconnect attempt")
			.contains("connection attempt failed")
			.doesNotContain(HEADER_SECRET)
			.doesNotContain(PASSWORD)
			.doesNotContain(QUERY_SECRET);
	}

	private void collect(StringBuilder shown, ActuatorClient actuator) {
		shown.append(actuator.get("/health").body()).append('\n');
		shown.append(actuator.get("/health/wsClients/feed").body()).append('\n');
		shown.append(actuator.get("/wsclients").body()).append('\n');
		shown.append(actuator.get("/wsclients/feed").body()).append('\n');
		shown.append(actuator.get("/metrics/ws.client.messages.received").body()).append('\n');
		this.meterRegistry.getMeters().forEach((meter) -> shown.append(meter.getId()).append('\n'));
	}

	private static String stackTrace(Throwable failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	private static WsTestConnection latestConnection() {
		List<WsTestConnection> connections = server.connections();
		return connections.get(connections.size() - 1);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SecretsApplication {

		@Bean
		Events events() {
			return new Events();
		}

	}

	static class Events {

		private final List<WsClientEvent> all = new CopyOnWriteArrayList<>();

		@EventListener
		void on(WsClientEvent event) {
			this.all.add(event);
		}

		List<WsClientEvent> all() {
			return this.all;
		}

		List<WsClientFailedEvent> failures() {
			return this.all.stream()
				.filter(WsClientFailedEvent.class::isInstance)
				.map(WsClientFailedEvent.class::cast)
				.toList();
		}

	}

}
