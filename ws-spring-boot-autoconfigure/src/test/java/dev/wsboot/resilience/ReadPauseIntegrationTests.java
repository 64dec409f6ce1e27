package dev.wsboot.resilience;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClients;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backpressure pauses reading of the connection instead of holding a transport thread, on
 * both transports (Grizzly read interest off; no {@code request(1)} to the JDK's
 * WebSocket): with a hundred clients whose listeners are stalled under a flood, in one
 * application, another client keeps receiving and measuring its pings, no transport
 * thread waits for listeners, and the heap stays bounded; once released, every client
 * gets all its messages, in order.
 */
class ReadPauseIntegrationTests {

	private static final int STALLED_CLIENTS = 100;

	/** Far more than a client's hand-off holds (1024 messages). */
	private static final int STALLED_MESSAGES = 3000;

	private static final int HEALTHY_MESSAGES = 20_000;

	/**
	 * What a queued message may cost at most (a 100-character text, its message and
	 * node).
	 */
	private static final long BYTES_PER_QUEUED_MESSAGE = 512;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String PAYLOAD = "x".repeat(90);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.shutdown-timeout=1s", "ws.clients.healthy.url=" + this.server.url("/healthy"),
				"ws.clients.healthy.auto-startup=false", "ws.clients.healthy.ping-interval=100ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void healthyClientKeepsReceivingAndPingingWhileAHundredStalledClientsArePausedWithoutThreads(String transport) {
		CountDownLatch release = new CountDownLatch(1);
		Listeners listeners = new Listeners(release);
		this.server.onConnect((connection) -> {
			int count = connection.handshake().path().equals("/healthy") ? HEALTHY_MESSAGES : STALLED_MESSAGES;
			// not right behind the 101 response: under this load the JDK's client then
			// misreads a frame now and then (see docs/transports.md)
			connection.awaitFrame(WsTestFrame::isPing);
			for (int i = 0; i < count; i++) {
				connection.sendText(String.format("%09d", i) + PAYLOAD);
			}
		});
		List<String> properties = new ArrayList<>();
		properties.add("ws.clients.healthy.transport=" + transport);
		for (int i = 0; i < STALLED_CLIENTS; i++) {
			properties.add("ws.clients.stalled" + i + ".url=" + this.server.url("/stalled"));
			properties.add("ws.clients.stalled" + i + ".transport=" + transport);
			properties.add("ws.clients.stalled" + i + ".ping-interval=100ms");
			properties.add("ws.clients.stalled" + i + ".idle-timeout=60s");
		}
		this.contextRunner.withPropertyValues(properties.toArray(String[]::new))
			.withBean(Listeners.class, () -> listeners)
			.run((context) -> {
				long heapBefore = usedHeapAfterGc();
				WsClients clients = context.getBean(WsClients.class);
				// every stalled client has read more than its hand-off holds (1024
				// messages)
				await().atMost(TIMEOUT)
					.until(() -> IntStream.range(0, STALLED_CLIENTS)
						.allMatch((i) -> received(clients, "stalled" + i) > 1024));
				WsClient healthy = context.getBean("healthy", WsClient.class);
				healthy.connect();
				await().atMost(TIMEOUT)
					.until(() -> listeners.healthyReceived.get() == HEALTHY_MESSAGES
							&& clients.snapshot("healthy").orElseThrow().pongs() >= 5);
				assertThat(listeners.healthyOutOfOrder.get()).isZero();
				assertThat(transportThreadsWaitingForListeners()).isZero();
				// reading stopped: what the stalled clients read is bounded, not the
				// whole flood
				for (int i = 0; i < STALLED_CLIENTS; i++) {
					assertThat(received(clients, "stalled" + i)).isLessThan(STALLED_MESSAGES);
				}
				assertThat(listeners.stalledClientsInside).hasSize(STALLED_CLIENTS);
				long heapGrowth = usedHeapAfterGc() - heapBefore;
				assertThat(heapGrowth)
					.isLessThan(STALLED_CLIENTS * 2L * 1024 * BYTES_PER_QUEUED_MESSAGE + 64L * 1024 * 1024);
				release.countDown();
				await().atMost(TIMEOUT)
					.until(() -> listeners.stalledReceived.values()
						.stream()
						.filter((received) -> received.get() == STALLED_MESSAGES)
						.count() == STALLED_CLIENTS);
				assertThat(listeners.stalledOutOfOrder.get()).isZero();
			});
	}

	private static long received(WsClients clients, String name) {
		return clients.snapshot(name).map(WsClientSnapshot::textMessagesReceived).orElse(0L);
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Transport threads (Grizzly workers, the jdk transport's pool) parked inside a
	 * client's hand-off, waiting for room (what backpressure used to do).
	 */
	private static long transportThreadsWaitingForListeners() {
		return Thread.getAllStackTraces()
			.values()
			.stream()
			.filter((stack) -> List.of(stack)
				.stream()
				.anyMatch((frame) -> frame.getClassName().equals("dev.wsboot.client.InboundBudget")
						&& frame.getMethodName().equals("awaitRoom")))
			.count();
	}

	static final class Listeners {

		private final CountDownLatch release;

		final Set<String> stalledClientsInside = ConcurrentHashMap.newKeySet();

		final Map<String, AtomicInteger> stalledReceived = new ConcurrentHashMap<>();

		final AtomicInteger stalledOutOfOrder = new AtomicInteger();

		final AtomicInteger healthyReceived = new AtomicInteger();

		final AtomicInteger healthyOutOfOrder = new AtomicInteger();

		Listeners(CountDownLatch release) {
			this.release = release;
		}

		@WsListener
		void onMessage(String text, WsClient client) throws InterruptedException {
			int sequence = Integer.parseInt(text.substring(0, 9));
			if (client.name().equals("healthy")) {
				if (sequence != this.healthyReceived.getAndIncrement()) {
					this.healthyOutOfOrder.incrementAndGet();
				}
				return;
			}
			AtomicInteger received = this.stalledReceived.computeIfAbsent(client.name(), (name) -> new AtomicInteger());
			if (sequence != received.getAndIncrement()) {
				this.stalledOutOfOrder.incrementAndGet();
			}
			this.stalledClientsInside.add(client.name());
			this.release.await(2, TimeUnit.MINUTES);
		}

	}

}
