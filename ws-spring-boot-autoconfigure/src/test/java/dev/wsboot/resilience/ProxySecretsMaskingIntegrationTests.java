package dev.wsboot.resilience;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.client.WsClient;
import dev.wsboot.observability.ActuatorClient;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose proxy URL carries credentials: they reach the proxy, and never show in
 * the logs (at DEBUG), health, the {@code wsclients} endpoint or the events, while
 * connected and while the proxy refuses them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,wsclients",
				"management.endpoint.health.show-details=always", "logging.level.dev.wsboot=DEBUG",
				"ws.clients.feed.reconnect.initial-delay=100ms", "ws.clients.feed.reconnect.max-delay=300ms" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ProxySecretsMaskingIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String PASSWORD = "pr0xy-pa55";

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	static final ConnectProxy proxy = ConnectProxy.start().requireBasic("proxy-user", PASSWORD);

	@DynamicPropertySource
	static void feed(DynamicPropertyRegistry registry) {
		registry.add("ws.clients.feed.url", () -> server.url("/feed"));
		registry.add("ws.clients.feed.proxy.url", () -> proxy.url("proxy-user:" + PASSWORD));
	}

	@AfterAll
	static void stopProxy() throws Exception {
		proxy.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("feed")
	WsClient feed;

	@Autowired
	RecordedEvents events;

	@Test
	void neverShowsTheProxyCredentials(CapturedOutput output) {
		ActuatorClient actuator = new ActuatorClient(this.port);
		StringBuilder shown = new StringBuilder();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		assertThat(proxy.requests()).extracting(ConnectProxy.Request::proxyAuthorization)
			.contains(ConnectProxy.basic("proxy-user", PASSWORD));
		collect(shown, actuator);

		// the proxy stops accepting the credentials: every attempt fails with 407
		proxy.requireBasic("proxy-user", "another-password");
		this.feed.terminate();
		await().atMost(TIMEOUT).until(() -> this.events.failed().size() >= 2);
		await().atMost(TIMEOUT).until(() -> actuator.get("/health/wsClients/feed").body().contains("407"));
		collect(shown, actuator);
		this.events.all().forEach((event) -> shown.append(event).append('\n'));
		this.events.failed().forEach((event) -> shown.append(stackTrace(event.cause())));

		String everything = shown + output.getAll();
		assertThat(everything).contains("Proxy http://******@127.0.0.1:" + proxy.port())
			.doesNotContain(PASSWORD)
			.doesNotContain("proxy-user")
			.doesNotContain(ConnectProxy.basic("proxy-user", PASSWORD).substring(6));
	}

	private void collect(StringBuilder shown, ActuatorClient actuator) {
		shown.append(actuator.get("/health").body()).append('\n');
		shown.append(actuator.get("/health/wsClients/feed").body()).append('\n');
		shown.append(actuator.get("/wsclients").body()).append('\n');
		shown.append(actuator.get("/wsclients/feed").body()).append('\n');
		shown.append(this.feed).append('\n');
	}

	private static String stackTrace(Throwable failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ProxiedApplication {

		@Bean
		RecordedEvents events() {
			return new RecordedEvents();
		}

	}

}
