package dev.wsboot.resilience;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's own liveness checks (ping with a unique payload, idle deadline) against
 * peers that go quiet in the ways real networks do.
 */
class LivenessIntegrationTests {

	private static final Duration IDLE_TIMEOUT = Duration.ofMillis(400);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withPropertyValues("ws.clients.feed.ping-interval=100ms",
				"ws.clients.feed.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms",
				"ws.clients.feed.reconnect.initial-delay=100ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void measuresLatencyWithItsOwnPingsEachCarryingAUniquePayload() {
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			WsTestConnection connection = this.server.awaitConnection();
			await().atMost(RecordedEvents.TIMEOUT)
				.until(() -> feed.latency().isPresent()
						&& connection.frames().stream().filter(WsTestFrame::isPing).count() >= 3);
			List<String> payloads = connection.frames()
				.stream()
				.filter(WsTestFrame::isPing)
				.map((ping) -> HexFormat.of().formatHex(ping.payload()))
				.toList();
			assertThat(payloads).doesNotHaveDuplicates().allSatisfy((payload) -> assertThat(payload).isNotEmpty());
			assertThat(feed.latency().get()).isPositive().isLessThan(Duration.ofSeconds(1));
		});
	}

	@Test
	void unsolicitedPongsKeepTheConnectionAliveButAreNotTakenForLatency() {
		this.server.onConnect(WsTestConnection::stopAnsweringPings);
		ScheduledExecutorService pongs = Executors.newSingleThreadScheduledExecutor();
		try {
			this.contextRunner.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsTestConnection connection = this.server.awaitConnection();
				// what a predictable ping payload (a counter from 1) would be matched
				// with
				byte[] firstCounterValue = ByteBuffer.allocate(Long.BYTES).putLong(0, 1).array();
				pongs.scheduleAtFixedRate(() -> connection.sendPong(firstCounterValue), 0, 50, TimeUnit.MILLISECONDS);
				await().atMost(RecordedEvents.TIMEOUT)
					.until(() -> connection.frames().stream().filter(WsTestFrame::isPing).count() >= 8);
				assertThat(events.closed()).isEmpty();
				assertThat(feed.isOpen()).isTrue();
				assertThat(feed.latency()).isEmpty();
			});
		}
		finally {
			pongs.shutdownNow();
		}
	}

	@Test
	void silentPeerIsDetectedWithinTheIdleTimeoutAndReplacedByANewConnection() {
		this.server.onConnect(ClientContexts.firstConnection(WsTestConnection::stopAnsweringPings));
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsTestConnection silent = this.server.awaitConnection();
			WsClientClosedEvent closed = events.awaitClosed();
			assertThat(closed.code()).isEqualTo(1006);
			assertThat(closed.reason()).contains("idle-timeout");
			assertThat(closed.willReconnect()).isTrue();
			assertDetectedWithinIdleTimeoutPlusOneSecond(events);
			assertThat(silent.frames()).filteredOn(WsTestFrame::isPing).hasSizeGreaterThanOrEqualTo(2);
			silent.awaitDisconnected();
			assertThat(silent.frames()).noneMatch(WsTestFrame::isClose);
			this.server.awaitConnection();
			events.awaitOpened(2);
		});
	}

	@Test
	void halfOpenConnectionIsDetectedWithinTheIdleTimeoutAndReplacedByANewConnection() {
		this.server.onConnect(ClientContexts.firstConnection(WsTestConnection::stopReading));
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsTestConnection halfOpen = this.server.awaitConnection();
			WsClientClosedEvent closed = events.awaitClosed();
			assertThat(closed.code()).isEqualTo(1006);
			assertThat(closed.willReconnect()).isTrue();
			assertDetectedWithinIdleTimeoutPlusOneSecond(events);
			WsTestConnection replacement = this.server.awaitConnection();
			events.awaitOpened(2);
			assertThat(replacement).isNotSameAs(halfOpen);
		});
	}

	@Test
	void peerStalledInTheMiddleOfAFrameIsDetectedWithinTheIdleTimeout() {
		// a text frame announcing 100 bytes, of which only 10 ever arrive
		this.server.onConnect(ClientContexts.firstConnection(WsTestConnection::stallMidFrame));
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClientClosedEvent closed = events.awaitClosed();
			assertThat(closed.code()).isEqualTo(1006);
			assertThat(closed.reason()).contains("idle-timeout");
			assertDetectedWithinIdleTimeoutPlusOneSecond(events);
			events.awaitOpened(2);
		});
	}

	@Test
	void connectionPausedByASlowListenerIsNotTakenForDead() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger received = new AtomicInteger();
		this.server.onConnect((connection) -> {
			String message = "x".repeat(1024);
			for (int i = 0; i < 3000; i++) {
				connection.sendText(message);
			}
			connection.stopAnsweringPings();
		});
		this.contextRunner.withBean(SlowListener.class, () -> new SlowListener(release, received)).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
			await().during(IDLE_TIMEOUT.multipliedBy(3))
				.atMost(RecordedEvents.TIMEOUT)
				.until(() -> events.closed().isEmpty() || fail(events));
			release.countDown();
			await().atMost(RecordedEvents.TIMEOUT).until(() -> received.get() == 3000);
			// the server no longer answers pings and sends nothing: now the connection is
			// dead
			events.awaitClosed();
		});
	}

	private static void assertDetectedWithinIdleTimeoutPlusOneSecond(RecordedEvents events) {
		long opened = events.nanosOf(WsClientOpenedEvent.class, (event) -> true);
		long closed = events.nanosOf(WsClientClosedEvent.class, (event) -> true);
		Duration detection = Duration.ofNanos(closed - opened);
		// both measured when the events were published, each a little after the fact
		assertThat(detection).isGreaterThan(IDLE_TIMEOUT.minusMillis(100)).isLessThan(IDLE_TIMEOUT.plusSeconds(1));
	}

	private static boolean fail(RecordedEvents events) {
		throw new AssertionError("Expected no close while reading was paused, got " + events);
	}

	static final class SlowListener {

		private final CountDownLatch release;

		private final AtomicInteger received;

		SlowListener(CountDownLatch release, AtomicInteger received) {
			this.release = release;
			this.received = received;
		}

		@WsListener("feed")
		void onText(String text) throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
			this.received.incrementAndGet();
		}

		@WsListener("feed")
		void onBinary(ByteBuffer data) {
		}

	}

}
