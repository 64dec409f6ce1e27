package dev.wsboot.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RollingReconnect}: what a reloaded SSL bundle does to the open clients that use
 * it, against a real server.
 */
class RollingReconnectIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + this.server.url("/feed"), "ws.shutdown-timeout=1s");

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void messagesSentWhileAClientIsRenewedGoOutInOrderOnTheNextConnection() {
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(feed::isOpen);
			WsTestConnection first = this.server.awaitConnection();
			CompletableFuture<Void> renewed = RollingReconnect.start(List.of(feed), 1001, "SSL bundle reloaded");
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				sends.add(feed.sendText("m" + i));
			}
			renewed.get();
			assertThat(feed.isOpen()).isTrue();
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
			assertThat(first.awaitClose().closeCode()).isEqualTo(1001);
			WsTestConnection second = this.server.awaitConnection();
			await().atMost(TIMEOUT).until(() -> first.texts().size() + second.texts().size() == 200);
			List<String> received = Stream.concat(first.texts().stream(), second.texts().stream()).toList();
			assertThat(received)
				.containsExactlyElementsOf(Stream.iterate(0, (i) -> i + 1).limit(200).map((i) -> "m" + i).toList());
		});
	}

	@Test
	void aSenderRacingTheRenewalLosesNothing() {
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			List<String> sent = new ArrayList<>();
			for (int round = 0; round < 20; round++) {
				await().atMost(TIMEOUT).until(feed::isOpen);
				CompletableFuture<Void> renewed = RollingReconnect.start(List.of(feed), 1001, "SSL bundle reloaded");
				List<CompletableFuture<Void>> sends = new ArrayList<>();
				// the renewal starts on another thread while these go out
				while (sends.size() < 1000) {
					String text = "r" + round + "-" + sends.size();
					sent.add(text);
					sends.add(feed.sendText(text));
				}
				renewed.get();
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
			}
			List<WsTestConnection> connections = this.server.awaitConnections(21);
			// the server reads nothing after a close frame: a message written after it is
			// lost
			await().atMost(TIMEOUT)
				.until(() -> connections.stream().mapToInt((connection) -> connection.texts().size()).sum() == sent
					.size());
			assertThat(connections.stream().flatMap((connection) -> connection.texts().stream()))
				.containsExactlyElementsOf(sent);
		});
	}

	@Test
	void aClientWhoseReconnectIsDisabledIsStillConnectedAgain() {
		this.contextRunner.withPropertyValues("ws.clients.feed.reconnect.enabled=false").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(feed::isOpen);
			RollingReconnect.start(List.of(feed), 1001, "SSL bundle reloaded").get();
			assertThat(feed.isOpen()).isTrue();
			assertThat(this.server.awaitConnections(2)).hasSize(2);
		});
	}

	@Test
	void aClientTheApplicationClosedStaysClosed() {
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(feed::isOpen);
			feed.close(1000, "done").get();
			RollingReconnect.start(List.of(feed), 1001, "SSL bundle reloaded").get();
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
			assertThat(this.server.connections()).hasSize(1);
		});
	}

}
