package dev.wsboot.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsHandshakeCustomizer;
import dev.wsboot.client.WsReconnectPolicy;
import dev.wsboot.client.WsSendException;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.client.event.WsClientReconnectingEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Reconnecting: back-off measured from the server's side, refused handshakes, give-up,
 * and what happens to messages sent meanwhile.
 */
class ReconnectIntegrationTests {

	private static final Duration INITIAL_DELAY = Duration.ofMillis(100);

	/**
	 * Time a reconnect may take besides its delay: close handshake, TCP and WebSocket
	 * handshake (generous: the build machine may be busy).
	 */
	private static final long OVERHEAD_MILLIS = 1000;

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withPropertyValues("ws.clients.feed.reconnect.initial-delay=" + INITIAL_DELAY.toMillis() + "ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void reconnectsWithGrowingJitteredDelaysMeasuredFromTheServerSide() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> WsTestHandshakeResponse.accept());
		this.server.handshake(handshakes).onConnect((connection) -> connection.close(1011, "overloaded"));
		this.contextRunner
			.withPropertyValues("ws.clients.feed.reconnect.multiplier=2", "ws.clients.feed.reconnect.max-delay=400ms",
					"ws.clients.feed.reconnect.jitter=0.2")
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				await().atMost(RecordedEvents.TIMEOUT)
					.until(() -> handshakes.count() >= 5 && events.reconnecting().size() >= 4);
				List<WsClientReconnectingEvent> reconnecting = events.reconnecting().subList(0, 4);
				assertThat(reconnecting).extracting(WsClientReconnectingEvent::attempt).containsExactly(1, 2, 3, 4);
				long[] nominal = { 100, 200, 400, 400 };
				List<Long> offNominal = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					long delay = reconnecting.get(i).delay().toMillis();
					long low = Math.max(100, Math.round(nominal[i] * 0.8));
					long high = Math.min(400, Math.round(nominal[i] * 1.2));
					assertThat(delay).as("delay %d", i + 1).isBetween(low, high);
					long gap = handshakes.gapMillis(i + 1);
					assertThat(gap).as("server-side gap %d", i + 1).isBetween(delay, delay + OVERHEAD_MILLIS);
					offNominal.add(delay - nominal[i]);
				}
				assertThat(reconnecting.get(1).delay()).isGreaterThan(reconnecting.get(0).delay());
				assertThat(reconnecting.get(2).delay()).isGreaterThan(reconnecting.get(1).delay());
				assertThat(offNominal).as("jitter").anySatisfy((off) -> assertThat(off).isNotZero());
				assertThat(events.closed()).first().satisfies((closed) -> {
					assertThat(closed.code()).isEqualTo(1011);
					assertThat(closed.reason()).isEqualTo("overloaded");
					assertThat(closed.willReconnect()).isTrue();
				});
			});
	}

	@Test
	void refusedHandshakesAreRetriedUntilTheServerAcceptsAndEachFailureCarriesTheStatus() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> (n <= 2) ? WsTestHandshakeResponse.refuse(503) : WsTestHandshakeResponse.accept());
		this.server.handshake(handshakes);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			assertThat(feed.state()).isEqualTo(WsClientState.OPEN);
			assertThat(handshakes.count()).isEqualTo(3);
			assertThat(events.failed()).hasSize(2).allSatisfy((failed) -> {
				assertThat(failed.willRetry()).isTrue();
				assertThat(failed.cause()).isInstanceOfSatisfying(WsHandshakeException.class,
						(refused) -> assertThat(refused.status()).isEqualTo(503));
			});
			assertThat(events.reconnecting()).extracting(WsClientReconnectingEvent::attempt).containsExactly(1, 2);
		});
	}

	@Test
	void retryAfterOfARefusedHandshakeIsHonoured() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> (n == 1) ? WsTestHandshakeResponse.refuse(503).withHeader("Retry-After", "1")
						: WsTestHandshakeResponse.accept());
		this.server.handshake(handshakes);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			events.awaitOpened(1);
			assertThat(events.reconnecting()).singleElement()
				.satisfies((event) -> assertThat(event.delay()).isEqualTo(Duration.ofSeconds(1)));
			assertThat(handshakes.gapMillis(1)).isBetween(1000L, 1000L + OVERHEAD_MILLIS);
		});
	}

	@Test
	void aReconnectPolicyThatFailsAfterAFailedAttemptIsLoggedAndTheClientRetriesAsWithoutAPolicy() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> (n <= 2) ? WsTestHandshakeResponse.refuse(503) : WsTestHandshakeResponse.accept());
		this.server.handshake(handshakes);
		WsReconnectPolicy failing = (client, failure, attempts) -> {
			throw new IllegalStateException("policy bug");
		};
		this.contextRunner.withBean(WsReconnectPolicy.class, () -> failing).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			events.awaitOpened(1);
			assertThat(handshakes.count()).isEqualTo(3);
			assertThat(events.failed()).hasSize(2).allSatisfy((failed) -> assertThat(failed.willRetry()).isTrue());
		});
	}

	@Test
	void reconnectPolicyGivingUpOn401ClosesTheClientAndFailsQueuedSends() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> WsTestHandshakeResponse.refuse(401));
		this.server.handshake(handshakes);
		WsReconnectPolicy notWhenUnauthorized = (client, failure,
				attempts) -> !(failure instanceof WsHandshakeException refused && refused.status() == 401);
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false")
			.withBean(WsReconnectPolicy.class, () -> notWhenUnauthorized)
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsClient feed = context.getBean("feed", WsClient.class);
				CompletableFuture<Void> queued = feed.sendText("queued");
				feed.connect();
				WsClientFailedEvent failed = events.awaitFailed();
				assertThat(failed.willRetry()).isFalse();
				assertThat(failed.cause()).isInstanceOfSatisfying(WsHandshakeException.class,
						(refused) -> assertThat(refused.status()).isEqualTo(401));
				await().atMost(RecordedEvents.TIMEOUT).until(() -> feed.state() == WsClientState.CLOSED);
				assertThatExceptionOfType(Exception.class).isThrownBy(queued::join)
					.withCauseInstanceOf(WsSendException.ClientClosed.class);
				await().during(INITIAL_DELAY.multipliedBy(3))
					.atMost(RecordedEvents.TIMEOUT)
					.until(() -> handshakes.count() == 1);
				assertThat(events.reconnecting()).isEmpty();
			});
	}

	@Test
	void closeByTheApplicationNeverReconnects() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> WsTestHandshakeResponse.accept());
		this.server.handshake(handshakes);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			feed.close(1000, "bye").get();
			assertThat(this.server.connections().get(0).awaitClose().closeCode()).isEqualTo(1000);
			await().during(INITIAL_DELAY.multipliedBy(2))
				.atMost(RecordedEvents.TIMEOUT)
				.until(() -> handshakes.count() == 1);
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
			events.awaitClosed();
			assertThat(events.closed()).singleElement().satisfies((closed) -> {
				assertThat(closed.code()).isEqualTo(1000);
				assertThat(closed.willReconnect()).isFalse();
			});
			assertThat(events.reconnecting()).isEmpty();
		});
	}

	@Test
	void terminateDropsTheConnectionWithoutACloseFrameAndReconnects() {
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			WsTestConnection first = this.server.awaitConnection();
			feed.terminate();
			first.awaitDisconnected();
			assertThat(first.frames()).noneMatch(WsTestFrame::isClose);
			WsClientClosedEvent closed = events.awaitClosed();
			assertThat(closed.code()).isEqualTo(1006);
			assertThat(closed.willReconnect()).isTrue();
			this.server.awaitConnection();
			events.awaitOpened(2);
		});
	}

	@Test
	void messagesSentDuringAnOutageAreDeliveredInOrderAfterTheReconnect() {
		AtomicBoolean outage = new AtomicBoolean();
		this.server.handshake(
				(handshake) -> outage.get() ? WsTestHandshakeResponse.refuse(503) : WsTestHandshakeResponse.accept());
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			outage.set(true);
			this.server.awaitConnection().dropTcp();
			await().atMost(RecordedEvents.TIMEOUT).until(() -> !events.failed().isEmpty());
			List<CompletableFuture<Void>> sent = new ArrayList<>();
			List<String> messages = new ArrayList<>();
			for (int i = 1; i <= 50; i++) {
				messages.add("m" + i);
				sent.add(feed.sendText("m" + i));
			}
			assertThat(sent).noneMatch(CompletableFuture::isDone);
			assertThat(feed.bufferedAmount()).isPositive();
			outage.set(false);
			WsTestConnection second = this.server.awaitConnection();
			assertThat(second.awaitTexts(50)).containsExactlyElementsOf(messages);
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
			assertThat(feed.bufferedAmount()).isZero();
		});
	}

	@Test
	void messagesQueuedForAConnectionThatDiesBeforeItsOpenedEventIsHandledWaitForTheNextOne() {
		this.server.onConnect(ClientContexts.firstConnection(WsTestConnection::dropTcp));
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false")
			.withBean(SlowToNoticeTheOpen.class)
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsClient feed = context.getBean("feed", WsClient.class);
				List<CompletableFuture<Void>> sent = new ArrayList<>();
				for (int i = 1; i <= 5; i++) {
					sent.add(feed.sendText("m" + i));
				}
				feed.connect();
				List<WsTestConnection> connections = this.server.awaitConnections(2);
				assertThat(connections.get(1).awaitTexts(5)).containsExactly("m1", "m2", "m3", "m4", "m5");
				CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
				assertThat(connections.get(0).texts()).isEmpty();
				events.awaitOpened(2);
				assertThat(events.all()).extracting((event) -> event.getClass().getSimpleName())
					.startsWith("WsClientOpenedEvent", "WsClientClosedEvent", "WsClientReconnectingEvent",
							"WsClientOpenedEvent");
			});
	}

	@Test
	void givingUpAfterMaxAttemptsFailsQueuedSendsWithClientClosed() {
		ClientContexts.TimedHandshakes handshakes = new ClientContexts.TimedHandshakes(
				(n) -> WsTestHandshakeResponse.refuse(503));
		this.server.handshake(handshakes);
		this.contextRunner
			.withPropertyValues("ws.clients.feed.auto-startup=false", "ws.clients.feed.reconnect.max-attempts=2")
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsClient feed = context.getBean("feed", WsClient.class);
				CompletableFuture<Void> first = feed.sendText("one");
				CompletableFuture<Void> second = feed.sendBinary(new byte[] { 2 });
				feed.connect();
				await().atMost(RecordedEvents.TIMEOUT).until(() -> feed.state() == WsClientState.CLOSED);
				assertThat(handshakes.count()).isEqualTo(3);
				for (CompletableFuture<Void> future : List.of(first, second)) {
					assertThatExceptionOfType(Exception.class).isThrownBy(future::join)
						.withCauseInstanceOf(WsSendException.ClientClosed.class);
				}
				assertThat(events.failed()).extracting(WsClientFailedEvent::willRetry)
					.containsExactly(true, true, false);
				assertThat(feed.sendText("late")).failsWithin(Duration.ZERO)
					.withThrowableOfType(ExecutionException.class)
					.withCauseInstanceOf(WsSendException.ClientClosed.class);
				assertThat(feed.bufferedAmount()).isZero();
			});
	}

	@Test
	void handshakeCustomizerIsCalledBeforeEveryAttemptAndTheServerSeesEachNewValue() {
		AtomicInteger calls = new AtomicInteger();
		WsHandshakeCustomizer freshToken = (client, headers) -> headers.put("Authorization",
				new ArrayList<>(List.of("Bearer token-" + calls.incrementAndGet())));
		this.server.handshake(new ClientContexts.TimedHandshakes(
				(n) -> (n <= 2) ? WsTestHandshakeResponse.refuse(503) : WsTestHandshakeResponse.accept()));
		this.contextRunner.withBean(WsHandshakeCustomizer.class, () -> freshToken).run((context) -> {
			context.getBean(RecordedEvents.class).awaitOpened(1);
			assertThat(this.server.handshakes()).extracting((handshake) -> handshake.header("Authorization"))
				.containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-3");
			assertThat(calls).hasValue(3);
		});
	}

	@Test
	void handshakeCustomizerThatFailsFailsTheAttemptAndIsCalledAgainOnTheNext() {
		AtomicInteger calls = new AtomicInteger();
		WsHandshakeCustomizer flakyTokenService = (client, headers) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("token service unavailable");
			}
			headers.put("Authorization", new ArrayList<>(List.of("Bearer fresh")));
		};
		this.contextRunner.withBean(WsHandshakeCustomizer.class, () -> flakyTokenService).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			events.awaitOpened(1);
			assertThat(events.failed()).singleElement().satisfies((failed) -> {
				assertThat(failed.willRetry()).isTrue();
				assertThat(failed.cause()).hasMessage("token service unavailable");
			});
			assertThat(this.server.handshakes()).singleElement()
				.satisfies((handshake) -> assertThat(handshake.header("Authorization")).isEqualTo("Bearer fresh"));
		});
	}

	@Test
	void reconnectIsNotHeldUpByListenersStillWorkingThroughMessagesOfTheLostConnection() {
		CountDownLatch release = new CountDownLatch(1);
		this.server.onConnect(ClientContexts.firstConnection((connection) -> {
			for (int i = 0; i < 10; i++) {
				connection.sendText("m" + i);
			}
			connection.dropTcp();
		}));
		this.contextRunner.withBean(BlockedListener.class, () -> new BlockedListener(release)).run((context) -> {
			try {
				List<WsTestConnection> connections = this.server.awaitConnections(2);
				assertThat(connections.get(0).isOpen()).isFalse();
				assertThat(release.getCount()).as("listener still blocked").isOne();
			}
			finally {
				release.countDown();
			}
			context.getBean(RecordedEvents.class).awaitOpened(2);
		});
	}

	@Test
	void subscribeSentFromTheOpenedEventReachesTheServerBeforeMessagesQueuedWhileConnecting() {
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false")
			.withBean(Subscriber.class)
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				feed.sendText("queued-1");
				feed.sendText("queued-2");
				feed.connect();
				assertThat(this.server.awaitConnection().awaitTexts(3)).containsExactly("subscribe", "queued-1",
						"queued-2");
			});
	}

	@Test
	void subscribeIsSentAgainFirstOnEveryReconnect() {
		AtomicInteger connections = new AtomicInteger();
		this.server.onConnect((connection) -> {
			if (connections.incrementAndGet() == 1) {
				connection.awaitTexts(1);
				connection.dropTcp();
			}
			else {
				connection.echo();
			}
		});
		this.contextRunner.withBean(Subscriber.class).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitClosed();
			feed.sendText("after");
			List<WsTestConnection> both = this.server.awaitConnections(2);
			assertThat(both.get(0).texts()).containsExactly("subscribe");
			assertThat(both.get(1).awaitTexts(2)).containsExactly("subscribe", "after");
			assertThat(events.opened()).hasSize(2);
		});
	}

	/** Handles the first opened event only after that connection is gone again. */
	static final class SlowToNoticeTheOpen {

		private final AtomicInteger opened = new AtomicInteger();

		@EventListener
		void opened(WsClientOpenedEvent event) {
			if (this.opened.incrementAndGet() == 1) {
				await().atMost(RecordedEvents.TIMEOUT).until(() -> event.client().state() != WsClientState.OPEN);
			}
		}

	}

	static final class BlockedListener {

		private final CountDownLatch release;

		BlockedListener(CountDownLatch release) {
			this.release = release;
		}

		@WsListener("feed")
		void onText(String text) throws InterruptedException {
			this.release.await(20, TimeUnit.SECONDS);
		}

	}

	static final class Subscriber {

		@EventListener
		void subscribe(WsClientOpenedEvent event) {
			event.client().sendText("subscribe");
		}

	}

}
