package dev.wsboot.resilience;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.actuate.WsClientsEndpoint;
import dev.wsboot.autoconfigure.actuate.WsClientsEndpointAutoConfiguration;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link WsClient#redirect(URI)} / {@link WsClient#resetUrl()} (Discord's
 * {@code resume_gateway_url}) and {@link WsClient#reconnect(int, String)} (Discord's op
 * 7), seen from the server, health and the {@code wsclients} endpoint.
 */
class RedirectAndReconnectIntegrationTests {

	/** Long enough that a connection within it cannot have waited for the back-off. */
	private static final Duration INITIAL_DELAY = Duration.ofSeconds(5);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withConfiguration(AutoConfigurations.of(WsHealthContributorAutoConfiguration.class,
				WsClientsEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=wsclients",
				"ws.clients.feed.reconnect.initial-delay=" + INITIAL_DELAY.toMillis() + "ms",
				"ws.clients.feed.reconnect.max-delay=10s");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void redirectSendsTheFollowingAttemptsToTheNewUrlUntilResetAndHealthAndEndpointShowItMasked() {
		this.contextRunner.withPropertyValues("ws.clients.feed.reconnect.initial-delay=100ms").run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			URI configured = feed.url();
			URI resume = this.server.url("/resume?session=s3cret");
			feed.redirect(resume);
			assertThat(feed.url()).isEqualTo(configured);
			assertThat(this.server.awaitConnection().isOpen()).as("the current connection stays").isTrue();
			String maskedResume = "ws://127.0.0.1:" + this.server.port() + "/resume?******";
			assertThat(health(context).getDetails()).containsEntry("url", maskedResume);
			assertThat(endpoint(context).url()).isEqualTo(maskedResume);
			feed.terminate();
			WsTestConnection resumed = this.server.awaitConnection();
			assertThat(resumed.handshake().path()).isEqualTo("/resume");
			assertThat(resumed.handshake().query()).isEqualTo("session=s3cret");
			events.awaitOpened(2);
			feed.terminate();
			assertThat(this.server.awaitConnection().handshake().path()).as("until reset").isEqualTo("/resume");
			events.awaitOpened(3);
			feed.resetUrl();
			assertThat(health(context).getDetails()).containsEntry("url",
					"ws://127.0.0.1:" + this.server.port() + "/feed");
			feed.terminate();
			assertThat(this.server.awaitConnection().handshake().path()).isEqualTo("/feed");
			assertThat(String.valueOf(health(context).getDetails())).doesNotContain("s3cret");
		});
	}

	@Test
	void redirectRejectsWhatIsNotAWebSocketUrlWithoutShowingItsSecrets() {
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> feed.redirect(URI.create("https://bot:pw@gateway.example.com/?token=s3cret")))
				.withMessageContaining("Client 'feed'")
				.withMessageContaining("ws:// or wss://")
				.withMessageNotContaining("s3cret")
				.withMessageNotContaining("pw@");
			assertThatIllegalArgumentException().isThrownBy(() -> feed.redirect(URI.create("wss:relative")))
				.withMessageContaining("no host");
			assertThat(health(context).getDetails()).containsEntry("url",
					"ws://127.0.0.1:" + this.server.port() + "/feed");
		});
	}

	@Test
	void reconnectClosesWithTheGivenCodeAndConnectsAgainAtOnceEveryTime() {
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			WsTestConnection old = this.server.awaitConnection();
			for (int i = 1; i <= 3; i++) {
				long started = System.nanoTime();
				CompletableFuture<Void> reconnected = feed.reconnect(4000 + i, "reconnect " + i);
				CompletableFuture<Void> sent = feed.sendText("after " + i);
				reconnected.get(10, TimeUnit.SECONDS);
				int code = 4000 + i;
				assertThat(old.awaitClose()).satisfies((close) -> {
					assertThat(close.closeCode()).isEqualTo(code);
					assertThat(close.closeReason()).isEqualTo("reconnect " + code % 10);
				});
				WsTestConnection next = this.server.awaitConnection();
				assertThat(next.awaitTexts(1)).containsExactly("after " + i);
				sent.get(10, TimeUnit.SECONDS);
				events.awaitOpened(i + 1);
				assertThat((System.nanoTime() - started) / 1_000_000).as("reconnect %d without back-off", i)
					.isLessThan(INITIAL_DELAY.toMillis());
				assertThat(old.texts()).doesNotContain("after " + i);
				old = next;
			}
			assertThat(events.closed()).extracting(WsClientClosedEvent::code).containsExactly(4001, 4002, 4003);
			assertThat(events.closed()).allMatch(WsClientClosedEvent::willReconnect);
			assertThat(events.reconnecting()).allSatisfy((reconnecting) -> {
				assertThat(reconnecting.attempt()).isEqualTo(1);
				assertThat(reconnecting.delay()).isZero();
			});
			assertThat(events.reconnecting()).hasSize(3);
			assertThat(health(context).getDetails()).containsEntry("reconnectAttempts", 0);
			assertThat(feed.state()).isEqualTo(WsClientState.OPEN);
		});
	}

	@Test
	void reconnectCalledAgainWhileTheConnectionIsStillClosingJoinsTheFirstAndBothComplete() {
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			WsTestConnection old = this.server.awaitConnection();
			// the connection stays open until the close handshake times out (1 s)
			old.ignoreClose();
			CompletableFuture<Void> first = feed.reconnect(4001, "first");
			CompletableFuture<Void> second = feed.reconnect(4002, "second");
			CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
			assertThat(old.awaitClose().closeCode()).isEqualTo(4001);
			events.awaitOpened(2);
			assertThat(old.frames()).filteredOn(WsTestFrame::isClose).hasSize(1);
			assertThat(events.closed()).singleElement()
				.satisfies((closed) -> assertThat(closed.willReconnect()).isTrue());
			assertThat(events.reconnecting()).hasSize(1);
			assertThat(this.server.handshakes()).hasSize(2);
		});
	}

	@Test
	void reconnectWhileWaitingForABackOffDelayConnectsNow() {
		AtomicBoolean outage = new AtomicBoolean(true);
		this.server.handshake(
				(handshake) -> outage.get() ? WsTestHandshakeResponse.refuse(503) : WsTestHandshakeResponse.accept());
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> !events.reconnecting().isEmpty());
			assertThat(feed.state()).isEqualTo(WsClientState.RECONNECTING);
			outage.set(false);
			long started = System.nanoTime();
			feed.reconnect(1000, "now").get(10, TimeUnit.SECONDS);
			events.awaitOpened(1);
			assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(INITIAL_DELAY.toMillis());
		});
	}

	@Test
	void closeStaysClosedEvenRightAfterAReconnect() {
		this.contextRunner.withPropertyValues("ws.clients.feed.reconnect.initial-delay=100ms").run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			feed.reconnect(4000, "again");
			feed.close(1000, "bye").get(10, TimeUnit.SECONDS);
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
			// the new attempt may have been under way already: it is abandoned, never
			// opened
			await().during(Duration.ofSeconds(1))
				.atMost(RecordedEvents.TIMEOUT)
				.until(() -> feed.state() == WsClientState.CLOSED && this.server.handshakes().size() <= 2);
			assertThat(this.server.connections()).allSatisfy(WsTestConnection::awaitDisconnected);
			assertThat(events.opened()).hasSize(1);
		});
	}

	@Test
	void reconnectRefusesCloseCodesThatCannotBeSent() {
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			for (int code : new int[] { 999, 1004, 1005, 1006, 1015, 2999, 5000 }) {
				assertThatIllegalArgumentException().as("code %d", code)
					.isThrownBy(() -> feed.reconnect(code, "no"))
					.withMessageContaining("close code " + code);
			}
			assertThat(feed.state()).isEqualTo(WsClientState.NEW);
		});
	}

	private static Health health(AssertableApplicationContext context) {
		CompositeHealthContributor composite = context.getBean("wsClientsHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) composite.getContributor("feed")).health();
	}

	private static WsClientsEndpoint.WsClientDescriptor endpoint(AssertableApplicationContext context) {
		return context.getBean(WsClientsEndpoint.class).client("feed");
	}

}
