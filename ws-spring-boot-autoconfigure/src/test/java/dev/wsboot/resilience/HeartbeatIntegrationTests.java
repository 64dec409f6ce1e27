package dev.wsboot.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsHeartbeat;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.metrics.WsClientMetrics;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link WsClient#heartbeat(Duration, java.util.function.Supplier)} against a server that
 * acknowledges beats like Discord's gateway does (op 1 answered by op 11): cadence, the
 * random first beat, zombie detection and the end of a heartbeat with its connection.
 */
class HeartbeatIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(500);

	/** Scheduling and loopback latency on a busy build machine. */
	private static final long SLACK_MILLIS = 1000;

	private final WsTestServer server = WsTestServer.start();

	private final Beats beats = new Beats();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withPropertyValues("ws.clients.feed.reconnect.initial-delay=100ms")
		.withBean(Hello.class);

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void beatsEveryIntervalAfterARandomFractionOfItAndMeasuresTheAcknowledgements() {
		this.server.onConnect(this.beats::serve);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new WsClientMetrics(context.getBean(WsClients.class)).bindTo(registry);
			events.awaitOpened(1);
			long started = System.nanoTime();
			WsHeartbeat heartbeat = sayHello(context.getBean(Hello.class));
			await().atMost(RecordedEvents.TIMEOUT).until(() -> this.beats.received().size() >= 6);
			List<Long> nanos = this.beats.received();
			long first = (nanos.get(0) - started) / 1_000_000;
			assertThat(first).as("first beat after a fraction of the interval")
				.isLessThan(INTERVAL.toMillis() + SLACK_MILLIS);
			long fiveIntervals = (nanos.get(5) - nanos.get(0)) / 1_000_000;
			assertThat(fiveIntervals).as("five intervals")
				.isBetween(5 * INTERVAL.toMillis() - 150, 5 * INTERVAL.toMillis() + SLACK_MILLIS);
			assertThat(heartbeat.isActive()).isTrue();
			assertThat(feed.state()).isEqualTo(WsClientState.OPEN);
			Timer timer = registry.find("ws.client.heartbeat").tag("client", "feed").timer();
			assertThat(timer).as("ws.client.heartbeat timer").isNotNull();
			assertThat(timer.count()).isGreaterThanOrEqualTo(5);
			assertThat(timer.max(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
			assertThat(timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS)).isPositive().isLessThan(SLACK_MILLIS);
			heartbeat.cancel();
			int count = this.beats.received().size();
			await().during(INTERVAL.multipliedBy(3))
				.atMost(RecordedEvents.TIMEOUT)
				.until(() -> this.beats.received().size() <= count + 1);
			assertThat(heartbeat.isActive()).isFalse();
		});
	}

	@Test
	void firstBeatComesAfterARandomFractionOfTheInterval() {
		Duration interval = Duration.ofMillis(500);
		this.server.onConnect(this.beats::serve);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			List<Long> firstBeats = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 6; i++) {
				int seen = this.beats.received().size();
				long started = System.nanoTime();
				WsHeartbeat heartbeat = feed.heartbeat(interval, () -> "beat");
				await().atMost(RecordedEvents.TIMEOUT).until(() -> this.beats.received().size() > seen);
				heartbeat.cancel();
				firstBeats.add((this.beats.received().get(seen) - started) / 1_000_000);
			}
			assertThat(firstBeats)
				.allSatisfy((millis) -> assertThat(millis).isBetween(0L, interval.toMillis() + SLACK_MILLIS));
			long spread = firstBeats.stream().mapToLong(Long::longValue).max().getAsLong()
					- firstBeats.stream().mapToLong(Long::longValue).min().getAsLong();
			assertThat(spread).as("first beats %s are jittered", firstBeats).isGreaterThan(25);
		});
	}

	@Test
	void aBeatDueWhileThePreviousIsUnansweredDropsTheConnectionAndReconnects() {
		this.server.onConnect(this.beats::serve);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClient feed = context.getBean("feed", WsClient.class);
			events.awaitOpened(1);
			WsTestConnection first = this.server.awaitConnection();
			WsHeartbeat heartbeat = sayHello(context.getBean(Hello.class));
			await().atMost(RecordedEvents.TIMEOUT).until(() -> this.beats.received().size() >= 3);
			assertThat(events.closed()).isEmpty();
			this.beats.acking.set(false);
			WsClientClosedEvent closed = events.awaitClosed();
			long unanswered = this.beats.firstUnanswered();
			long detected = events.nanosOf(WsClientClosedEvent.class, (event) -> true);
			assertThat((detected - unanswered) / 1_000_000).as("detection after the unanswered beat")
				.isBetween(INTERVAL.toMillis() - 50, 2 * INTERVAL.toMillis() + SLACK_MILLIS);
			assertThat(closed.code()).isEqualTo(1006);
			assertThat(closed.reason()).contains("Heartbeat not acknowledged").contains("zombie");
			assertThat(closed.willReconnect()).isTrue();
			first.awaitDisconnected();
			assertThat(heartbeat.isActive()).isFalse();
			events.awaitOpened(2);
			assertThat(feed.state()).isEqualTo(WsClientState.OPEN);
		});
	}

	@Test
	void aHeartbeatEndsWithItsConnection() {
		this.server.onConnect(this.beats::serve);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			events.awaitOpened(1);
			WsTestConnection first = this.server.awaitConnection();
			WsHeartbeat heartbeat = sayHello(context.getBean(Hello.class));
			await().atMost(RecordedEvents.TIMEOUT).until(() -> this.beats.received().size() >= 2);
			first.close(1001, "going away");
			events.awaitOpened(2);
			WsTestConnection second = this.server.awaitConnection();
			assertThat(heartbeat.isActive()).isFalse();
			await().during(INTERVAL.multipliedBy(4))
				.atMost(RecordedEvents.TIMEOUT)
				.until(() -> second.texts().isEmpty());
		});
	}

	@Test
	void beatsThatAreNotTextGoOutAsJson() {
		this.server.onConnect(this.beats::serve);
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			events.awaitOpened(1);
			AtomicInteger sequence = new AtomicInteger(41);
			Hello hello = context.getBean(Hello.class);
			hello.beat = () -> new Beat(1, sequence.incrementAndGet());
			WsHeartbeat heartbeat = sayHello(hello);
			WsTestConnection connection = this.server.awaitConnection();
			assertThat(connection.awaitTexts(2)).containsExactly("{\"op\":1,\"d\":42}", "{\"op\":1,\"d\":43}");
			heartbeat.cancel();
		});
	}

	@Test
	void aHeartbeatAskedForWithoutAnOpenConnectionIsNotActive() {
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			assertThat(feed.heartbeat(INTERVAL, () -> "beat").isActive()).isFalse();
		});
	}

	/**
	 * The server says hello (Discord's op 10); the client starts its heartbeat on its
	 * listener thread.
	 */
	private WsHeartbeat sayHello(Hello hello) {
		hello.heartbeat.set(null);
		this.server.connections().get(this.server.connections().size() - 1).sendText("hello");
		await().atMost(RecordedEvents.TIMEOUT).until(() -> hello.heartbeat.get() != null);
		return hello.heartbeat.get();
	}

	record Beat(int op, int d) {
	}

	/**
	 * The server side: records when each beat arrived and acknowledges it while acking.
	 */
	static final class Beats {

		final AtomicBoolean acking = new AtomicBoolean(true);

		private final List<Long> received = new CopyOnWriteArrayList<>();

		private final AtomicReference<Long> firstUnanswered = new AtomicReference<>();

		void serve(WsTestConnection connection) {
			connection.handleTexts((text) -> {
				if (text.startsWith("beat") || text.startsWith("{")) {
					long now = System.nanoTime();
					this.received.add(now);
					if (this.acking.get()) {
						connection.sendText("ack");
					}
					else {
						this.firstUnanswered.compareAndSet(null, now);
					}
				}
			});
		}

		List<Long> received() {
			return this.received;
		}

		long firstUnanswered() {
			return this.firstUnanswered.get();
		}

	}

	/**
	 * Starts the heartbeat on the protocol's hello, as a Discord bot does on op 10, and
	 * acknowledges it.
	 */
	static final class Hello {

		final AtomicReference<WsHeartbeat> heartbeat = new AtomicReference<>();

		volatile Supplier<?> beat = () -> "beat";

		@WsListener("feed")
		void on(String text, WsClient client) {
			if (text.equals("hello")) {
				this.heartbeat.set(client.heartbeat(INTERVAL, this.beat));
			}
			else if (text.equals("ack") && this.heartbeat.get() != null) {
				this.heartbeat.get().acknowledged();
			}
		}

	}

}
