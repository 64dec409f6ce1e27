package dev.wsboot.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsReconnectPolicy;
import dev.wsboot.client.WsSendException;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Close codes that must not be retried ({@code reconnect.stop-on-close-codes}, and
 * {@link WsReconnectPolicy#shouldReconnect(WsClient, int, String)}), e.g. Discord's 4004
 * (authentication failed).
 */
class StopOnCloseCodesIntegrationTests {

	private static final Duration INITIAL_DELAY = Duration.ofMillis(100);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withConfiguration(AutoConfigurations.of(WsHealthContributorAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.reconnect.initial-delay=" + INITIAL_DELAY.toMillis() + "ms",
				"ws.clients.feed.reconnect.stop-on-close-codes=4004,4010-4014");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void aListedCodeIsNotRetriedTheClientIsClosedAndHealthIsDownWithTheCode() {
		this.server.onConnect((connection) -> connection.close(4004, "Authentication failed."));
		this.contextRunner
			.withPropertyValues("ws.clients.feed.auto-startup=false", "ws.clients.feed.ready-on=application")
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsClient feed = context.getBean("feed", WsClient.class);
				CompletableFuture<Void> queued = feed.sendText("held until ready, which never comes");
				feed.connect();
				WsClientClosedEvent closed = events.awaitClosed();
				assertThat(closed.code()).isEqualTo(4004);
				assertThat(closed.reason()).isEqualTo("Authentication failed.");
				assertThat(closed.willReconnect()).isFalse();
				await().atMost(RecordedEvents.TIMEOUT).until(() -> feed.state() == WsClientState.CLOSED);
				assertThatExceptionOfType(Exception.class).isThrownBy(queued::join)
					.withCauseInstanceOf(WsSendException.ClientClosed.class)
					.withMessageContaining("stop-on-close-codes");
				assertThatExceptionOfType(Exception.class).isThrownBy(() -> feed.sendText("later").join())
					.withCauseInstanceOf(WsSendException.ClientClosed.class);
				Health health = health(context);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("state", "CLOSED")
					.containsEntry("lastCloseCode", 4004)
					.containsEntry("lastCloseReason", "Authentication failed.");
				await().during(INITIAL_DELAY.multipliedBy(5))
					.atMost(RecordedEvents.TIMEOUT)
					.until(() -> this.server.handshakes().size() == 1);
				assertThat(events.reconnecting()).isEmpty();
				feed.connect();
				await().atMost(RecordedEvents.TIMEOUT).until(() -> this.server.handshakes().size() == 2);
			});
	}

	@Test
	void aCodeInAListedRangeIsNotRetriedWhileOthersAre() {
		AtomicInteger connections = new AtomicInteger();
		this.server.onConnect((connection) -> {
			if (connections.incrementAndGet() == 1) {
				connection.close(4009, "Session timed out");
			}
			else {
				connection.close(4012, "Invalid API version");
			}
		});
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.closed().size() == 2);
			assertThat(events.closed()).extracting(WsClientClosedEvent::code).containsExactly(4009, 4012);
			assertThat(events.closed()).extracting(WsClientClosedEvent::willReconnect).containsExactly(true, false);
			assertThat(events.reconnecting()).hasSize(1);
			await().during(INITIAL_DELAY.multipliedBy(5))
				.atMost(RecordedEvents.TIMEOUT)
				.until(() -> this.server.handshakes().size() == 2);
			assertThat(context.getBean("feed", WsClient.class).state()).isEqualTo(WsClientState.CLOSED);
		});
	}

	@Test
	void thePolicyDecidesOnCloseCodesNotListedBeforeAnythingIsScheduled() {
		List<String> asked = new CopyOnWriteArrayList<>();
		WsReconnectPolicy policy = new WsReconnectPolicy() {

			@Override
			public boolean shouldReconnect(WsClient client, Throwable failure, int failedAttempts) {
				return true;
			}

			@Override
			public boolean shouldReconnect(WsClient client, int closeCode, String reason) {
				asked.add(client.name() + " " + closeCode + " " + reason + " " + client.state());
				return !reason.equals("fatal");
			}

		};
		AtomicInteger connections = new AtomicInteger();
		this.server.onConnect(
				(connection) -> connection.close(4500, (connections.incrementAndGet() == 1) ? "retry" : "fatal"));
		this.contextRunner.withBean(WsReconnectPolicy.class, () -> policy).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.closed().size() == 2);
			assertThat(asked).containsExactly("feed 4500 retry OPEN", "feed 4500 fatal OPEN");
			assertThat(events.closed()).extracting(WsClientClosedEvent::willReconnect).containsExactly(true, false);
			assertThat(events.reconnecting()).hasSize(1);
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> feed.state() == WsClientState.CLOSED);
			assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
			assertThat(health(context).getDetails()).containsEntry("lastCloseCode", 4500);
			feed.close(1000, "done").join();
			assertThat(asked).as("not asked when the application closes").hasSize(2);
		});
	}

	@Test
	void aPolicyThatThrowsStillLetsTheConnectionEndAndReconnect() {
		WsReconnectPolicy failing = new WsReconnectPolicy() {

			@Override
			public boolean shouldReconnect(WsClient client, Throwable failure, int failedAttempts) {
				return true;
			}

			@Override
			public boolean shouldReconnect(WsClient client, int closeCode, String reason) {
				throw new IllegalStateException("policy bug");
			}

		};
		this.server.onConnect(ClientContexts.firstConnection((connection) -> connection.close(4500, "once")));
		this.contextRunner.withBean(WsReconnectPolicy.class, () -> failing).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			events.awaitOpened(2);
			assertThat(events.closed()).singleElement()
				.satisfies((closed) -> assertThat(closed.willReconnect()).isTrue());
			assertThat(context.getBean("feed", WsClient.class).state()).isEqualTo(WsClientState.OPEN);
		});
	}

	@Test
	void theDefaultPolicyMethodReconnects() {
		WsReconnectPolicy legacy = (client, failure, attempts) -> true;
		assertThat(legacy.shouldReconnect(null, 4004, "any")).isTrue();
	}

	private static Health health(AssertableApplicationContext context) {
		CompositeHealthContributor composite = context.getBean("wsClientsHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) composite.getContributor("feed")).health();
	}

}
