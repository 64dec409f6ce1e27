package dev.wsboot.fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand clients created, opened and removed against a real server: nothing stays
 * behind (no meter, no health child, no scheduled task, no thread that was not there
 * before the fleet).
 */
class FleetScaleIntegrationTests {

	private static final int CLIENTS = 1000;

	/**
	 * Generous: the build machine may be busy; waits end as soon as the condition holds.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start().recordPayloads(false).onConnect((connection) -> {
	});

	@Test
	void aThousandCreatedClientsOpenedAndRemovedLeaveNothingBehind() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.dev.wsboot=WARN",
					"ws.templates.tenant.url=" + server.url("/tenant"), "ws.templates.tenant.ping-interval=1s",
					"ws.templates.tenant.idle-timeout=20s")
			.run()) {
			WsClients clients = context.getBean(WsClients.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			CompositeHealthContributor health = context.getBean("wsClientsHealthContributor",
					CompositeHealthContributor.class);
			ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) ReflectionTestUtils
				.getField(context.getBean("wsClientThreads"), "scheduler");
			// one client first, so the transport's shared threads exist before the
			// baseline
			clients.create("warm-up", (spec) -> spec.template("tenant"));
			await().atMost(TIMEOUT).until(() -> clients.get("warm-up").isOpen());
			clients.remove("warm-up").join();
			Map<String, Integer> threadsBefore = clientThreads();

			List<WsClient> fleet = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				fleet.add(clients.create("tenant-" + i, (spec) -> spec.template("tenant")));
			}
			await().atMost(TIMEOUT).until(() -> fleet.stream().allMatch(WsClient::isOpen));
			assertThat(clients.names()).hasSize(CLIENTS);
			assertThat(health.stream()).hasSize(CLIENTS);
			assertThat(registry.find("ws.client.connections").gauges()).hasSize(CLIENTS);
			assertThat(timer.getQueue()).hasSizeGreaterThanOrEqualTo(CLIENTS);
			Map<String, Integer> threadsOpen = clientThreads();

			List<CompletableFuture<Void>> removed = new ArrayList<>();
			for (WsClient client : fleet) {
				removed.add(clients.remove(client.name()));
			}
			CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new)).join();
			assertThat(fleet).allMatch((client) -> client.state().name().equals("CLOSED"));
			assertThat(clients.names()).isEmpty();
			assertThat(health.stream()).isEmpty();
			assertThat(registry.getMeters()).filteredOn((meter) -> meter.getId().getTag("client") != null).isEmpty();
			assertThat(registry.find("ws.client.connections").gauges()).isEmpty();
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(timer.getQueue()).isEmpty());
			// no thread per client: only the shared, bounded pools (transport workers and
			// connect threads, listener executor) grow while 1,000 connect at once
			assertThat(total(threadsOpen))
				.as("threads with 1,000 open clients: %s, before: %s", threadsOpen, threadsBefore)
				.isLessThan(total(threadsBefore) + 50);
			Map<String, Integer> threadsAfter = clientThreads();
			// bounded pools may still grow while the fleet closes (close events run on
			// the
			// listener executor), and other tests' contexts share this JVM: nothing per
			// client
			assertThat(total(threadsAfter))
				.as("threads after removing them: %s, before: %s", threadsAfter, threadsBefore)
				.isLessThan(total(threadsBefore) + CLIENTS / 10);
			assertThat(threadsAfter.keySet())
				.filteredOn((kind) -> kind.startsWith("ws-") || kind.startsWith("tyrus") || kind.startsWith("Grizzly"))
				.as("no thread kind the fleet added stays")
				.isSubsetOf(threadsOpen.keySet());
		}
	}

	/** The threads of this JVM that are not the test server's, by name without digits. */
	private static Map<String, Integer> clientThreads() {
		Map<String, Integer> groups = new TreeMap<>();
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
			if (!info.getThreadName().startsWith("ws-test-server")) {
				groups.merge(info.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
			}
		}
		return groups;
	}

	private static int total(Map<String, Integer> threads) {
		return threads.values().stream().mapToInt(Integer::intValue).sum();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Config {

	}

}
