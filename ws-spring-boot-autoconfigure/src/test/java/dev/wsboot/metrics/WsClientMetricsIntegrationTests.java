package dev.wsboot.metrics;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsHeartbeat;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ws.client.*} meters after a known exchange with a real server, read from the
 * application's {@link MeterRegistry}.
 */
@SpringBootTest(properties = { "ws.clients.feed.ping-interval=200ms", "ws.clients.feed.idle-timeout=5s",
		"ws.clients.feed.reconnect.initial-delay=100ms", "ws.clients.feed.reconnect.max-delay=300ms",
		"management.metrics.distribution.percentiles.ws.client.latency=0.5,0.99",
		"management.metrics.distribution.slo.ws.client.latency=50ms", "ws.clients.feed.correlation.request-id=/id",
		"management.metrics.distribution.percentiles.ws.client.requests=0.5" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class WsClientMetricsIntegrationTests {

	/**
	 * Generous: the build machine may be busy; waits end as soon as the condition holds.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Set<String> BOUND_METERS = Set.of("ws.client.connections", "ws.client.messages.received",
			"ws.client.messages.sent", "ws.client.bytes.received", "ws.client.bytes.sent", "ws.client.reconnects",
			"ws.client.latency", "ws.client.send.buffered");

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start().onConnect(WsClientMetricsIntegrationTests::silent);

	@DynamicPropertySource
	static void feed(DynamicPropertyRegistry registry) {
		server.bindTo(registry, "feed", "/feed");
	}

	@Autowired
	MeterRegistry registry;

	@Autowired
	@Qualifier("feed")
	WsClient feed;

	@Autowired
	WsClients clients;

	@AfterEach
	void forgetConnections() {
		server.reset();
		server.onConnect(WsClientMetricsIntegrationTests::silent);
	}

	@Test
	void countsAKnownExchangeExactly() throws Exception {
		WsTestConnection first = server.awaitConnection();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		first.sendText("one");
		first.sendText("two");
		first.sendText("three");
		first.sendBinary(new byte[] { 1, 2, 3 });
		first.sendBinary(new byte[] { 4, 5, 6, 7 });
		this.feed.sendText("héllo").get(10, TimeUnit.SECONDS);
		this.feed.sendText("{}").get(10, TimeUnit.SECONDS);
		this.feed.sendBinary(new byte[10]).get(10, TimeUnit.SECONDS);
		first.awaitReceivedMessages(3);
		await().atMost(TIMEOUT).until(() -> count("ws.client.messages.received", "type", "binary") == 2);
		first.dropTcp();
		server.awaitConnection();
		await().atMost(TIMEOUT)
			.until(() -> count("ws.client.reconnects") == 1 && this.feed.isOpen()
					&& this.registry.find("ws.client.latency").timer() != null
					&& this.registry.get("ws.client.latency").timer().count() >= 1);

		assertThat(count("ws.client.messages.received", "type", "text")).isEqualTo(3);
		assertThat(count("ws.client.messages.received", "type", "binary")).isEqualTo(2);
		assertThat(count("ws.client.bytes.received")).isEqualTo(3 + 3 + 5 + 3 + 4);
		assertThat(count("ws.client.messages.sent", "type", "text")).isEqualTo(2);
		assertThat(count("ws.client.messages.sent", "type", "binary")).isEqualTo(1);
		assertThat(count("ws.client.bytes.sent")).isEqualTo(6 + 2 + 10);
		assertThat(count("ws.client.reconnects")).isEqualTo(1);
		assertThat(this.registry.get("ws.client.connections").tag("client", "feed").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("ws.client.send.buffered").tag("client", "feed").gauge().value()).isZero();
		var latency = this.registry.get("ws.client.latency").tag("client", "feed").timer();
		assertThat(latency.count()).isBetween(1L, this.clients.snapshot("feed").orElseThrow().pongs());
		assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
		await().atMost(TIMEOUT)
			.until(() -> this.registry.find("ws.client.listener")
				.timers()
				.stream()
				.mapToLong((t) -> t.count())
				.sum() == 3);
		assertThat(this.registry.get("ws.client.listener")
			.tags("client", "feed", "listener", "TextListener.onText", "outcome", "SUCCESS", "exception", "none")
			.timer()
			.count()).isEqualTo(3);
	}

	@Test
	void latencyIsATimerThatTheDistributionPropertiesApplyTo() {
		await().atMost(TIMEOUT).until(() -> {
			Timer timer = this.registry.find("ws.client.latency").tag("client", "feed").timer();
			return timer != null && timer.count() >= 2;
		});
		Timer latency = this.registry.get("ws.client.latency").tag("client", "feed").timer();
		HistogramSnapshot snapshot = latency.takeSnapshot();
		assertThat(snapshot.percentileValues()).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.99);
		assertThat(snapshot.histogramCounts()).extracting((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS))
			.containsExactly(50.0);
		assertThat(latency.max(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(latency.count()).isLessThanOrEqualTo(this.clients.snapshot("feed").orElseThrow().pongs());
	}

	@Test
	void requestsAndHeartbeatsAreTimersRegisteredByTheirFirstRecording() throws Exception {
		WsTestConnection connection = server.awaitConnection();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		assertThat(this.registry.find("ws.client.requests").meters()).isEmpty();
		assertThat(this.registry.find("ws.client.heartbeat").meters()).isEmpty();
		CompletableFuture<JsonNode> reply = this.feed.request("{\"op\":\"query\"}", JsonNode.class);
		String id = JsonMapper.builder().build().readTree(connection.awaitTexts(1).get(0)).get("id").asString();
		connection.sendText("{\"id\":" + id + ",\"ok\":true}");
		assertThat(reply.get(10, TimeUnit.SECONDS).get("ok").asBoolean()).isTrue();
		Timer requests = this.registry.find("ws.client.requests").tags("client", "feed", "outcome", "success").timer();
		assertThat(requests).as("ws.client.requests timer").isNotNull();
		assertThat(requests.count()).isEqualTo(1);
		assertThat(requests.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile)
			.containsExactly(0.5);
		assertThat(this.registry.find("ws.client.requests").meters()).as("only the outcome that happened").hasSize(1);
		WsHeartbeat heartbeat = this.feed.heartbeat(Duration.ofSeconds(2), () -> "beat");
		try {
			assertThat(connection.awaitTexts(2).get(1)).isEqualTo("beat");
			heartbeat.acknowledged();
			Timer beats = this.registry.find("ws.client.heartbeat").tag("client", "feed").timer();
			assertThat(beats).as("ws.client.heartbeat timer").isNotNull();
			assertThat(beats.count()).isEqualTo(1);
			assertThat(beats.totalTime(TimeUnit.NANOSECONDS)).isPositive();
		}
		finally {
			heartbeat.cancel();
		}
	}

	@Test
	void namesTagsAndUnitsFollowTheContract() throws Exception {
		WsTestConnection connection = server.awaitConnection();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		// an idle client has its two gauges; each counter once it is non-zero, the
		// latency
		// timer from the first ping round trip (which may have come already)
		assertThat(wsMeters(this.registry)).extracting((meter) -> meter.getId().getName())
			.filteredOn((name) -> !name.equals("ws.client.latency"))
			.containsExactlyInAnyOrder("ws.client.connections", "ws.client.send.buffered");
		connection.sendText("text");
		connection.sendBinary(new byte[] { 1 });
		this.feed.sendText("text").get(10, TimeUnit.SECONDS);
		this.feed.sendBinary(new byte[] { 1 }).get(10, TimeUnit.SECONDS);
		connection.dropTcp();
		await().atMost(TIMEOUT).until(() -> count("ws.client.reconnects") == 1 && this.feed.isOpen());
		await().atMost(TIMEOUT)
			.until(() -> readConnectionsGauge(this.registry) == 1
					&& this.registry.find("ws.client.latency").timer() != null && wsMeters(this.registry).size() == 10);
		List<Meter> meters = wsMeters(this.registry);
		assertThat(meters.stream().map((meter) -> meter.getId().getName()).collect(Collectors.toSet()))
			.isEqualTo(BOUND_METERS);
		assertThat(meters).allSatisfy((meter) -> assertThat(meter.getId().getTag("client")).isEqualTo("feed"));
		assertThat(meters).filteredOn((meter) -> meter.getId().getName().startsWith("ws.client.messages."))
			.hasSize(4)
			.extracting((meter) -> meter.getId().getName() + "{" + meter.getId().getTag("type") + "}")
			.containsExactlyInAnyOrder("ws.client.messages.received{text}", "ws.client.messages.received{binary}",
					"ws.client.messages.sent{text}", "ws.client.messages.sent{binary}");
		assertThat(meters).filteredOn((meter) -> !meter.getId().getName().startsWith("ws.client.messages."))
			.allSatisfy(
					(meter) -> assertThat(meter.getId().getTags()).extracting(Tag::getKey).containsExactly("client"));
		assertThat(meters)
			.filteredOn((meter) -> meter.getId().getName().startsWith("ws.client.bytes.")
					|| meter.getId().getName().equals("ws.client.send.buffered"))
			.hasSize(3)
			.allSatisfy((meter) -> assertThat(meter.getId().getBaseUnit()).isEqualTo("bytes"));
		assertThat(meters).filteredOn((meter) -> meter.getId().getName().equals("ws.client.latency"))
			.singleElement()
			.satisfies((meter) -> assertThat(meter.getId().getType()).isEqualTo(Meter.Type.TIMER));
		assertThat(this.registry.get("ws.client.connections").gauge().value()).isEqualTo(1);
	}

	@Test
	void keepsCountingAfterAGarbageCollection() {
		WsTestConnection connection = server.awaitConnection();
		await().atMost(TIMEOUT).until(this.feed::isOpen);
		WeakReference<Object> sentinel = new WeakReference<>(new Object());
		await().atMost(TIMEOUT).until(() -> {
			System.gc();
			return sentinel.get() == null;
		});
		connection.sendText("after a collection");
		await().atMost(TIMEOUT).until(() -> count("ws.client.messages.received", "type", "text") == 1);
		assertThat(this.registry.get("ws.client.connections").gauge().value()).isEqualTo(1);
	}

	@Test
	void removesItsMetersWhenTheContextCloses() {
		MeterRegistry registry;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MetricsApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "ws.clients.feed.url=" + server.url("/other"),
					"ws.clients.feed.ping-interval=200ms")
			.run()) {
			registry = context.getBean(MeterRegistry.class);
			assertThat(registry).isNotSameAs(this.registry);
			WsClient other = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(other::isOpen);
			// the latency timer may have come with a first pong already
			assertThat(wsMeters(registry)).extracting((meter) -> meter.getId().getName())
				.filteredOn((name) -> !name.equals("ws.client.latency"))
				.containsExactlyInAnyOrder("ws.client.connections", "ws.client.send.buffered");
			await().atMost(TIMEOUT).until(() -> {
				registry.get("ws.client.connections").gauge().value();
				return wsMeters(registry).size() == 3; // the latency timer after the
														// first pong
			});
		}
		assertThat(wsMeters(registry)).isEmpty();
	}

	private long count(String name, String... tags) {
		readConnectionsGauge(this.registry);
		FunctionCounter counter = this.registry.find(name).tag("client", "feed").tags(tags).functionCounter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	/**
	 * A read of the gauge (as every publish or scrape does) registers the meters that
	 * became non-zero.
	 */
	private static double readConnectionsGauge(MeterRegistry registry) {
		return registry.get("ws.client.connections").tag("client", "feed").gauge().value();
	}

	private static List<Meter> wsMeters(MeterRegistry registry) {
		return registry.getMeters().stream().filter((meter) -> BOUND_METERS.contains(meter.getId().getName())).toList();
	}

	private static void silent(WsTestConnection connection) {
		// keep the connection open without echoing what the client sends
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MetricsApplication {

		@Bean
		TextListener textListener() {
			return new TextListener();
		}

	}

	static class TextListener {

		@WsListener("feed")
		void onText(String text) {
		}

	}

}
