package dev.wsboot.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClients;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients share the transport's threads: clients whose listeners are stuck pause reading
 * of their own connections only, without holding a transport thread, and another client
 * keeps connecting and receiving on the same (bounded) Tyrus worker pool.
 */
class SlowListenerIsolationIntegrationTests {

	private static final int STUCK_CLIENTS = 4;

	private static final int MESSAGES = 2000;

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String[] STUCK_NAMES = { "stuck0", "stuck1", "stuck2", "stuck3" };

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.shutdown-timeout=1s", "ws.clients.fast.url=" + this.server.url("/fast"),
				"ws.clients.fast.auto-startup=false");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void clientsWhoseListenersAreStuckDoNotStopOtherClientsFromReceiving() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger fastReceived = new AtomicInteger();
		this.server.onConnect((connection) -> {
			String message = "x".repeat(1024);
			for (int i = 0; i < MESSAGES; i++) {
				connection.sendText(message);
			}
		});
		String[] stuckClients = new String[STUCK_CLIENTS];
		for (int i = 0; i < STUCK_CLIENTS; i++) {
			stuckClients[i] = "ws.clients.stuck" + i + ".url=" + this.server.url("/stuck");
		}
		this.contextRunner.withPropertyValues(stuckClients)
			.withBean(Listeners.class, () -> new Listeners(release, fastReceived))
			.run((context) -> {
				// every stuck client's hand-off is full (1024 messages): its reading is
				// paused
				WsClients clients = context.getBean(WsClients.class);
				await().atMost(TIMEOUT)
					.until(() -> Arrays.stream(STUCK_NAMES)
						.allMatch((name) -> clients.snapshot(name)
							.map(WsClientSnapshot::textMessagesReceived)
							.orElse(0L) > 1024));
				WsClient fast = context.getBean("fast", WsClient.class);
				fast.connect();
				await().atMost(TIMEOUT).until(() -> fastReceived.get() == MESSAGES);
				assertThat(transportThreadsWaitingForListeners()).isZero();
				release.countDown();
			});
	}

	private static long transportThreadsWaitingForListeners() {
		return Thread.getAllStackTraces()
			.values()
			.stream()
			.filter((stack) -> Arrays.stream(stack)
				.anyMatch((frame) -> frame.getClassName().equals("dev.wsboot.client.InboundDispatcher")
						&& frame.getMethodName().equals("submitMessage")))
			.count();
	}

	static final class Listeners {

		private final CountDownLatch release;

		private final AtomicInteger fastReceived;

		Listeners(CountDownLatch release, AtomicInteger fastReceived) {
			this.release = release;
			this.fastReceived = fastReceived;
		}

		@WsListener({ "stuck0", "stuck1", "stuck2", "stuck3" })
		void onStuck(String text) throws InterruptedException {
			this.release.await(30, TimeUnit.SECONDS);
		}

		@WsListener("fast")
		void onFast(String text) {
			this.fastReceived.incrementAndGet();
		}

	}

}
