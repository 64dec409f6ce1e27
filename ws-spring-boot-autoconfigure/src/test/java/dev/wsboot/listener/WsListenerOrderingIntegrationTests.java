package dev.wsboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ordering and backpressure over a real socket: a flood of 100,000 messages reaches a
 * slow listener complete and in order, the client's heap stays bounded while the listener
 * holds reading back, and the idle deadline does not fire while reading is paused by this
 * side.
 */
class WsListenerOrderingIntegrationTests {

	private static final int MESSAGES = 100_000;

	private static final int STALL_AT = 50_000;

	private static final Duration IDLE_TIMEOUT = Duration.ofMillis(600);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"), "ws.clients.feed.ping-interval=200ms",
				"ws.clients.feed.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms")
		.withUserConfiguration(SlowListener.class, ClosedEvents.class);

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@ParameterizedTest(name = "on {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void deliversAFloodInOrderToASlowListenerWithBoundedHeapAndNoIdleTimeout(String transport) {
		server.recordPayloads(false).onConnect((connection) -> {
			for (int i = 0; i < MESSAGES; i++) {
				connection.sendText(Integer.toString(i));
			}
		});
		this.contextRunner
			.withPropertyValues("ws.clients.feed.auto-startup=false", "ws.clients.feed.transport=" + transport)
			.run((context) -> {
				SlowListener listener = context.getBean(SlowListener.class);
				WsClient feed = context.getBean("feed", WsClient.class);
				// measured before connecting: a full GC pause longer than the
				// idle-timeout would
				// (rightly) look like a dead connection
				long baseline = Heap.retained();
				feed.connect();
				try {
					assertThat(listener.stalled.await(30, TimeUnit.SECONDS)).isTrue();
					// the hand-off fills and reading pauses: nothing is read, not even
					// pongs,
					// for three idle-timeouts, yet the connection is not declared dead
					await().during(IDLE_TIMEOUT.multipliedBy(3)).atMost(Duration.ofSeconds(10)).until(feed::isOpen);
					assertThat(Heap.retained() - baseline).as("heap retained while the listener stalls")
						.isLessThan(8 * Heap.MB);
				}
				finally {
					listener.gate.countDown();
				}
				await().atMost(Duration.ofSeconds(60)).until(() -> listener.received.get() == MESSAGES);
				assertThat(listener.outOfOrder).isEmpty();
				assertThat(listener.expected).hasValue(MESSAGES);
				assertThat(context.getBean(ClosedEvents.class).events).isEmpty();
				assertThat(feed.isOpen()).isTrue();
				assertThat(server.connections()).hasSize(1);
			});
	}

	static class SlowListener {

		final AtomicInteger expected = new AtomicInteger();

		final AtomicLong received = new AtomicLong();

		final List<String> outOfOrder = new CopyOnWriteArrayList<>();

		final CountDownLatch stalled = new CountDownLatch(1);

		final CountDownLatch gate = new CountDownLatch(1);

		@WsListener("feed")
		void onText(String text) throws InterruptedException {
			int sequence = Integer.parseInt(text);
			int expected = this.expected.getAndIncrement();
			if (sequence != expected && this.outOfOrder.size() < 10) {
				this.outOfOrder.add("expected " + expected + " but got " + sequence);
			}
			if (sequence == STALL_AT) {
				this.stalled.countDown();
				this.gate.await(30, TimeUnit.SECONDS);
			}
			else if (sequence % 1000 == 999) {
				// a slow message: every 1000th takes 5 ms
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			}
			this.received.incrementAndGet();
		}

	}

	static class ClosedEvents {

		final List<WsClientClosedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onClosed(WsClientClosedEvent event) {
			this.events.add(event);
		}

	}

}
