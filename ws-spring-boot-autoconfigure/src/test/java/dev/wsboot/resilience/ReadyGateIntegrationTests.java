package dev.wsboot.resilience;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsHeartbeat;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.client.event.WsClientReadyEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ready-on: application}: sends from other threads wait for the protocol's own
 * handshake ({@link WsClient#ready()}), while the opened-event listener, the client's
 * listeners and replies, and heartbeats go out at once.
 */
class ReadyGateIntegrationTests {

	/** How long a held message is watched for not arriving. */
	private static final Duration HELD = Duration.ofMillis(500);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withConfiguration(AutoConfigurations.of(WsHealthContributorAutoConfiguration.class))
		.withBean(Protocol.class)
		.withPropertyValues("ws.clients.feed.ready-on=application", "ws.clients.feed.reconnect.initial-delay=100ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void heldSendsGoOutInOrderOnReadyAfterTheHandshakeSends() {
		this.server.onConnect((connection) -> connection.sendText("hello"));
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false").run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			CompletableFuture<Void> q1 = feed.sendText("queued 1");
			feed.sendText("queued 2");
			feed.connect();
			WsTestConnection connection = this.server.awaitConnection();
			assertThat(connection.awaitTexts(3)).containsExactly("identify", "from listener", "reply to hello");
			feed.sendText("from another thread");
			assertThat(feed.isOpen()).isTrue();
			assertThat(feed.isReady()).isFalse();
			Health notReady = health(context);
			assertThat(notReady.getStatus()).isEqualTo(Status.DOWN);
			assertThat(notReady.getDetails()).containsEntry("state", "OPEN")
				.containsEntry("ready", false)
				.hasEntrySatisfying("notReadyReason", (reason) -> assertThat((String) reason).contains("ready()"));
			await().during(HELD).atMost(RecordedEvents.TIMEOUT).until(() -> connection.texts().size() == 3);
			assertThat(q1).isNotDone();
			assertThat(events.of(WsClientReadyEvent.class)).isEmpty();
			connection.sendText("READY");
			assertThat(connection.awaitTexts(6)).containsExactly("identify", "from listener", "reply to hello",
					"queued 1", "queued 2", "from another thread");
			q1.join();
			assertThat(feed.isReady()).isTrue();
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.of(WsClientReadyEvent.class).size() == 1);
			Health ready = health(context);
			assertThat(ready.getStatus()).isEqualTo(Status.UP);
			assertThat(ready.getDetails()).containsEntry("ready", true).doesNotContainKey("notReadyReason");
			feed.sendText("at once");
			assertThat(connection.awaitTexts(7)).last().isEqualTo("at once");
		});
	}

	@Test
	void notReadyHoldsSendsAgainButNotTheListenersUntilReady() {
		this.server.onConnect((connection) -> connection.sendText("READY"));
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			WsTestConnection connection = this.server.awaitConnection();
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isReady);
			feed.notReady("resuming the session");
			assertThat(feed.isReady()).isFalse();
			assertThat(health(context).getDetails()).containsEntry("notReadyReason", "resuming the session");
			CompletableFuture<Void> held = feed.sendText("held");
			connection.sendText("ping me");
			assertThat(connection.awaitTexts(2)).containsExactly("identify", "reply to ping me");
			await().during(HELD).atMost(RecordedEvents.TIMEOUT).until(() -> connection.texts().size() == 2);
			assertThat(held).isNotDone();
			feed.ready();
			assertThat(connection.awaitTexts(3)).last().isEqualTo("held");
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.of(WsClientReadyEvent.class).size() == 2);
		});
	}

	@Test
	void heartbeatsPassTheReadyGate() {
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			WsTestConnection connection = this.server.awaitConnection();
			connection.awaitTexts(1);
			CompletableFuture<Void> held = feed.sendText("held");
			WsHeartbeat heartbeat = feed.heartbeat(Duration.ofSeconds(1), () -> "beat");
			assertThat(connection.awaitTexts(2)).containsExactly("identify", "beat");
			assertThat(held).isNotDone();
			assertThat(feed.isReady()).isFalse();
			heartbeat.cancel();
		});
	}

	@Test
	void eachNewConnectionStartsNotReady() {
		this.server.onConnect((connection) -> connection.sendText("READY"));
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isReady);
			this.server.onConnect((connection) -> {
			});
			this.server.awaitConnection().dropTcp();
			events.awaitOpened(2);
			WsTestConnection second = this.server.awaitConnection();
			assertThat(second.awaitTexts(1)).containsExactly("identify");
			assertThat(feed.isReady()).isFalse();
			feed.sendText("held");
			await().during(HELD).atMost(RecordedEvents.TIMEOUT).until(() -> second.texts().size() == 1);
			second.sendText("READY");
			assertThat(second.awaitTexts(2)).containsExactly("identify", "held");
		});
	}

	@Test
	void readyOnOpenIsReadyAtOnceAsBefore() {
		this.contextRunner.withPropertyValues("ws.clients.feed.ready-on=open").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			WsTestConnection connection = this.server.awaitConnection();
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
			assertThat(feed.isReady()).isTrue();
			feed.sendText("at once");
			assertThat(connection.awaitTexts(2)).containsExactly("identify", "at once");
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("ready", true);
		});
	}

	private static Health health(AssertableApplicationContext context) {
		CompositeHealthContributor composite = context.getBean("wsClientsHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) composite.getContributor("feed")).health();
	}

	/**
	 * A protocol with a handshake of its own: identify on open, answer the server's hello
	 * and pings from the listener, ready on the server's READY.
	 */
	static final class Protocol {

		@EventListener
		void opened(WsClientOpenedEvent event) {
			event.client().sendText("identify");
		}

		@WsListener("feed")
		String on(String text, WsClient client) {
			switch (text) {
				case "hello" -> {
					client.sendText("from listener");
					return "reply to hello";
				}
				case "READY" -> client.ready();
				case "ping me" -> {
					return "reply to ping me";
				}
				default -> {
				}
			}
			return null;
		}

	}

}
