package dev.wsboot.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.health.contributor.Status;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twenty clients of one application, half on each transport, against one server that
 * kills a random connection every 15 ms in one of four ways: each client recovers on its
 * own, a fault on one never disturbs another, and what each sends arrives in order.
 */
class ManyClientsFaultTests {

	private static final int CLIENTS = 20;

	private static final int FAULTS = 200;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	enum Fault {

		/** Close TCP without a close frame. */
		DROP,
		/** Abort TCP with a RST. */
		RESET,
		/** Close with 1011 (internal error). */
		CLOSE,
		/** Stop answering pings: found by the client's idle timeout. */
		SILENCE

	}

	@Test
	@Timeout(value = 2, unit = TimeUnit.MINUTES)
	void eachOfTwentyClientsRecoversOnItsOwnFromServerSideFaults() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		List<String> names = IntStream.rangeClosed(1, CLIENTS).mapToObj((i) -> String.format("c%02d", i)).toList();
		try (WsTestServer server = WsTestServer.start()) {
			server.onConnect((connection) -> {
				// record only
			});
			List<String> properties = new ArrayList<>(
					List.of("ws.defaults.reconnect.initial-delay=10ms", "ws.defaults.reconnect.max-delay=200ms",
							"ws.defaults.ping-interval=200ms", "ws.defaults.idle-timeout=1s"));
			for (int i = 0; i < CLIENTS; i++) {
				properties.add("ws.clients." + names.get(i) + ".url=" + server.url("/" + names.get(i)));
				properties.add("ws.clients." + names.get(i) + ".transport=" + ((i % 2 == 0) ? "tyrus" : "jdk"));
			}
			FaultApps.runner().withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
				ClientEvents events = context.getBean(ClientEvents.class);
				List<WsClient> clients = names.stream().map(context.getBean(WsClients.class)::get).toList();
				await().atMost(TIMEOUT).until(() -> clients.stream().allMatch(WsClient::isOpen));
				Map<String, List<CompletableFuture<Void>>> sent = new ConcurrentHashMap<>();
				names.forEach((name) -> sent.put(name, new CopyOnWriteArrayList<>()));
				ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
				Set<WsTestConnection> faulted = ConcurrentHashMap.newKeySet();
				Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
				try {
					load.scheduleAtFixedRate(() -> clients.forEach((client) -> {
						List<CompletableFuture<Void>> futures = sent.get(client.name());
						futures.add(client.sendText(Integer.toString(futures.size())));
					}), 0, 5, TimeUnit.MILLISECONDS);
					CompletableFuture<Void> chaos = new CompletableFuture<>();
					load.scheduleAtFixedRate(() -> {
						if (faulted.size() >= FAULTS) {
							chaos.complete(null);
							return;
						}
						List<WsTestConnection> candidates = server.connections()
							.stream()
							.filter((connection) -> connection.isOpen() && !faulted.contains(connection))
							.toList();
						if (!candidates.isEmpty()) {
							WsTestConnection victim = candidates.get(random.nextInt(candidates.size()));
							Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
							faulted.add(victim);
							faults.merge(fault, 1, Integer::sum);
							apply(fault, victim);
						}
					}, 15, 15, TimeUnit.MILLISECONDS);
					chaos.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
					// every faulted connection was replaced exactly once, and nothing
					// else was: all
					// but the last connection the server saw were killed, and each ended
					// on the client
					// as an OPEN or as a failed attempt (killed during the handshake) -
					// or not at all:
					// java.net.http retries a handshake GET once when the server drops it
					// before
					// answering, so two connections can make one attempt
					for (String name : names) {
						WsClient client = context.getBean(name, WsClient.class);
						long killed = faulted.stream().filter((c) -> c.handshake().path().equals("/" + name)).count();
						await().atMost(TIMEOUT).untilAsserted(() -> {
							int connections = connectionsOf(server, name).size();
							assertThat(client.isOpen()).as("%s is open", name).isTrue();
							assertThat(connections).as("%s: connections, %d killed", name, killed)
								.isEqualTo(killed + 1);
							assertThat(events.opened(name) + events.failed(name))
								.as("%s: opened + failed attempts", name)
								.isBetween(1, connections);
						});
					}
					await().atMost(TIMEOUT)
						.until(() -> names.stream()
							.allMatch((name) -> FaultApps.health(context, name).equals(Status.UP)));
				}
				finally {
					load.shutdown();
					assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
				}
				// what each client sent arrived in order, and its last message arrived
				for (WsClient client : clients) {
					List<CompletableFuture<Void>> futures = sent.get(client.name());
					int last = futures.size();
					client.sendText(Integer.toString(last)).get(10, TimeUnit.SECONDS);
					await().atMost(TIMEOUT).until(() -> receivedBy(server, client.name()).contains(last));
					List<Integer> received = receivedBy(server, client.name());
					assertThat(received).as("client %s (seed %d)", client.name(), seed)
						.isSorted()
						.doesNotHaveDuplicates();
					assertThat(futures).allMatch(CompletableFuture::isDone);
				}
				List<Duration> recoveries = recoveries(events, names);
				List<Integer> reconnects = names.stream()
					.map((name) -> connectionsOf(server, name).size() - 1)
					.sorted()
					.toList();
				String test = CLIENTS + " clients (10 tyrus, 10 jdk), a random connection killed every 15 ms";
				int duringHandshake = names.stream().mapToInt(events::failed).sum();
				FaultReport.add(test, "both", "faults", FAULTS + " " + faults + ", " + duringHandshake
						+ " of them during the handshake (a failed attempt for the client)");
				FaultReport.add(test, "both", "reconnects per client",
						"min " + reconnects.get(0) + ", max " + reconnects.get(reconnects.size() - 1)
								+ "; connections per client = its killed connections + 1");
				FaultReport.add(test, "both",
						"closed → OPEN again (DROP/RESET/CLOSE; back-off 10 ms → 200 ms, reset only after 10 s open)",
						FaultReport.distribution(recoveries));
			});
		}
	}

	private static void apply(Fault fault, WsTestConnection connection) {
		switch (fault) {
			case DROP -> connection.dropTcp();
			case RESET -> connection.resetTcp();
			case CLOSE -> connection.close(1011, "chaos");
			case SILENCE -> connection.stopAnsweringPings();
		}
	}

	private static List<WsTestConnection> connectionsOf(WsTestServer server, String client) {
		return server.connections()
			.stream()
			.filter((connection) -> connection.handshake().path().equals("/" + client))
			.toList();
	}

	private static List<Integer> receivedBy(WsTestServer server, String client) {
		return connectionsOf(server, client).stream()
			.flatMap((connection) -> connection.texts().stream())
			.map(Integer::valueOf)
			.toList();
	}

	/**
	 * From each close not caused by the idle timeout to the next OPEN of the same client.
	 */
	private static List<Duration> recoveries(ClientEvents events, List<String> names) {
		List<Duration> recoveries = new ArrayList<>();
		for (String name : names) {
			List<ClientEvents.Recorded> opened = events.of(WsClientOpenedEvent.class, name);
			for (ClientEvents.Recorded closed : events.closed(name)) {
				if (closed.as(WsClientClosedEvent.class).reason().contains("idle-timeout")) {
					continue;
				}
				opened.stream()
					.filter((open) -> open.nanos() > closed.nanos())
					.findFirst()
					.ifPresent((open) -> recoveries.add(Duration.ofNanos(open.nanos() - closed.nanos())));
			}
		}
		return recoveries;
	}

}
