package dev.wsboot.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that goes away and comes back a hundred times, at random, while the
 * application keeps sending: the client reconnects each time, its health follows, and
 * every message is either received by the server, in order and once, or its future
 * failed.
 */
class ServerRestartFaultTests {

	private static final int RESTARTS = 100;

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@ParameterizedTest(name = "transport {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	@Timeout(value = 3, unit = TimeUnit.MINUTES)
	void survivesAHundredRestartsAndEveryMessageIsReceivedInOrderOrFailed(String transport) {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		try (WsTestServer server = WsTestServer.start()) {
			server.onConnect((connection) -> {
				// record only: the reader thread keeps every message and answers pings
			});
			FaultApps.runner()
				.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"),
						"ws.clients.feed.transport=" + transport, "ws.clients.feed.ping-interval=1s",
						"ws.clients.feed.idle-timeout=3s", "ws.clients.feed.reconnect.initial-delay=10ms",
						"ws.clients.feed.reconnect.max-delay=50ms")
				.run((context) -> {
					WsClient feed = context.getBean("feed", WsClient.class);
					ClientEvents events = context.getBean(ClientEvents.class);
					awaitHealth(context, Status.UP);
					Sender sender = Sender.start(feed);
					List<Duration> reconnects = new ArrayList<>();
					long started = System.nanoTime();
					for (int restart = 1; restart <= RESTARTS; restart++) {
						// up: until the server has received 20 to 200 more messages
						// (about 1 per ms)
						long upUntil = received(server) + 20 + random.nextInt(181);
						await().atMost(TIMEOUT)
							.pollInterval(Duration.ofMillis(2))
							.until(() -> received(server) >= upUntil);
						server.stopGracefully(1012, "restart " + restart);
						awaitHealth(context, Status.DOWN);
						// down: until the client has failed to connect 1 to 3 more times
						int failedUntil = events.of(WsClientFailedEvent.class, "feed").size() + 1 + random.nextInt(3);
						await().atMost(TIMEOUT)
							.pollInterval(Duration.ofMillis(2))
							.until(() -> events.of(WsClientFailedEvent.class, "feed").size() >= failedUntil);
						assertThat(FaultApps.health(context, "feed")).isEqualTo(Status.DOWN);
						long listening = System.nanoTime();
						server.restart();
						int opened = restart + 1;
						await().atMost(TIMEOUT).until(() -> events.opened("feed") >= opened);
						reconnects.add(Duration
							.ofNanos(events.of(WsClientOpenedEvent.class, "feed").get(opened - 1).nanos() - listening));
						awaitHealth(context, Status.UP);
					}
					Duration run = Duration.ofNanos(System.nanoTime() - started);
					List<CompletableFuture<Void>> sent = sender.stop();
					await().atMost(TIMEOUT).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
					// checked again until the last messages written have been read by the
					// server
					Outcome outcome = await().atMost(TIMEOUT)
						.ignoreExceptions()
						.until(() -> Outcome.of(sent, server, seed), (result) -> result.lost().isEmpty());
					assertThat(events.opened("feed")).isEqualTo(RESTARTS + 1);
					FaultReport.add("server restarted " + RESTARTS + "× (graceful 1012, random up/down)", transport,
							"run", FaultReport.ms(run) + ", " + server.connections().size() + " connections");
					FaultReport.add("server restarted " + RESTARTS + "×", transport, "server listening → OPEN",
							FaultReport.distribution(reconnects));
					FaultReport.add("server restarted " + RESTARTS + "×", transport, "messages",
							outcome.sent() + " sent, " + outcome.received() + " received in order, " + outcome.failed()
									+ " futures failed, " + outcome.lost().size() + " lost");
				});
		}
	}

	private static void awaitHealth(ApplicationContext context, Status status) {
		await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(2))
			.until(() -> FaultApps.health(context, "feed").equals(status));
	}

	private static long received(WsTestServer server) {
		return server.connections().stream().mapToLong(WsTestConnection::receivedMessages).sum();
	}

	/**
	 * Sends {@code "<n>"} once per millisecond from its own thread, keeping every future.
	 */
	static final class Sender {

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		private final List<CompletableFuture<Void>> futures = new ArrayList<>();

		private Sender() {
		}

		static Sender start(WsClient client) {
			Sender sender = new Sender();
			sender.executor.scheduleAtFixedRate(
					() -> sender.futures.add(client.sendText(Integer.toString(sender.futures.size()))), 0, 1,
					TimeUnit.MILLISECONDS);
			return sender;
		}

		/**
		 * Stop sending.
		 * @return the future of every message sent, by number
		 */
		List<CompletableFuture<Void>> stop() throws InterruptedException {
			this.executor.shutdown();
			assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			return this.futures;
		}

	}

	/**
	 * What became of the messages: the server's record (every connection, in order)
	 * checked against the futures.
	 */
	record Outcome(int sent, int received, int failed, List<Integer> lost) {

		/**
		 * Read the server's record; fails at once when a message arrived out of order or
		 * twice.
		 * @return the outcome, where {@code lost} lists the messages whose future
		 * completed but which the server has not received (yet)
		 */
		static Outcome of(List<CompletableFuture<Void>> futures, WsTestServer server, long seed) {
			List<Integer> numbers = server.connections()
				.stream()
				.flatMap((connection) -> connection.texts().stream())
				.map(Integer::valueOf)
				.toList();
			BitSet received = new BitSet(futures.size());
			int previous = -1;
			for (int number : numbers) {
				assertThat(number).as("message after %d (seed %d)", previous, seed).isGreaterThan(previous);
				received.set(number);
				previous = number;
			}
			int failed = 0;
			List<Integer> lost = new ArrayList<>();
			for (int number = 0; number < futures.size(); number++) {
				if (futures.get(number).isCompletedExceptionally()) {
					failed++;
				}
				else if (!received.get(number)) {
					lost.add(number);
				}
			}
			return new Outcome(futures.size(), numbers.size(), failed, lost);
		}

	}

}
