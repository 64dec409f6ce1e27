package dev.wsboot.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsSendException;
import dev.wsboot.health.WsClientHealthIndicator;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Replicas of one application (application contexts in this JVM, and one in a JVM of its
 * own for the crash) sharing singleton clients through a JdbcLockRegistry on a real
 * PostgreSQL (embedded binaries, Spring Integration's schema), connecting to a real test
 * server that records when each connection started and ended.
 */
class WsClusterIntegrationTests {

	static final Duration LEASE = Duration.ofSeconds(2);

	static final Duration ACQUIRE_INTERVAL = Duration.ofMillis(500);

	/**
	 * The server notices a closed socket within its polling period; intervals may touch
	 * by this much.
	 */
	static final long OVERLAP_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	static EmbeddedPostgres postgres;

	static WsTestServer server;

	static final List<Interval> intervals = new CopyOnWriteArrayList<>();

	static volatile boolean stopping;

	final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	String prefix;

	@BeforeAll
	static void startInfrastructure() throws Exception {
		postgres = EmbeddedPostgres.start();
		DataSource dataSource = postgres.getPostgresDatabase();
		new ResourceDatabasePopulator(
				new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
			.execute(dataSource);
		server = WsTestServer.start().onConnect(WsClusterIntegrationTests::record);
	}

	@AfterAll
	static void stopInfrastructure() throws Exception {
		stopping = true;
		server.close();
		postgres.close();
	}

	@BeforeEach
	void clean(TestInfo test) {
		this.prefix = test.getTestMethod().orElseThrow().getName();
		new JdbcTemplate(postgres.getPostgresDatabase()).update("DELETE FROM INT_LOCK");
	}

	@AfterEach
	void closeReplicas() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void exactlyOneReplicaConnectsAndAStandbyTakesOverWithinTheAcquireIntervalWhenTheOwnerCloses() throws Exception {
		List<ConfigurableApplicationContext> replicas = List.of(replica(1), replica(1), replica(1));
		await().atMost(Duration.ofSeconds(15)).until(() -> open("feed-0") == 1);
		await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).until(() -> open("feed-0") == 1);
		ConfigurableApplicationContext owner = ownerOf("feed-0", replicas);
		assertThat(owner.getBean(LockRegistry.class)).isInstanceOf(JdbcLockRegistry.class);
		for (ConfigurableApplicationContext replica : replicas) {
			WsClient client = replica.getBean(WsClients.class).get("feed-0");
			Health health = new WsClientHealthIndicator(client, replica.getBean(WsClients.class)).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			if (replica == owner) {
				assertThat(client.state()).isEqualTo(WsClientState.OPEN);
				assertThat(health.getDetails()).containsEntry("owner", true);
				assertThat(events(replica)).containsExactly("feed-0=true");
			}
			else {
				assertThat(client.state()).isEqualTo(WsClientState.STANDBY);
				assertThat(health.getDetails()).containsEntry("owner", false);
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> client.sendText("hi").get())
					.withCauseInstanceOf(WsSendException.class)
					.withMessageContaining("another replica owns it");
				assertThat(events(replica)).isEmpty();
			}
		}
		long closing = System.nanoTime();
		owner.close();
		await().atMost(Duration.ofSeconds(15)).until(() -> connections("feed-0").size() == 2 && open("feed-0") == 1);
		List<Interval> feed = connections("feed-0");
		long gap = feed.get(1).start - feed.get(0).end;
		System.out.printf("cluster failover after a graceful close: %d ms from the old connection's end to the new"
				+ " one's start, %d ms from context close%n", millis(gap), millis(feed.get(1).start - closing));
		assertThat(Duration.ofNanos(gap)).isLessThan(ACQUIRE_INTERVAL.plusSeconds(3));
		assertNoOverlap();
	}

	@Test
	void shardsSpreadAfterARollingStartAndRebalanceWhenReplicasJoinAndLeave() {
		int shards = 6;
		ConfigurableApplicationContext first = replica(shards);
		await().atMost(Duration.ofSeconds(15)).until(() -> openTotal() == shards);
		assertThat(owned(first)).hasSize(shards);
		ConfigurableApplicationContext second = replica(shards);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> owned(first).size() <= 4 && owned(second).size() >= 2 && openTotal() == shards);
		ConfigurableApplicationContext third = replica(shards);
		long joined = System.nanoTime();
		List<ConfigurableApplicationContext> all = List.of(first, second, third);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> all.stream().allMatch((r) -> owned(r).size() <= 3 && !owned(r).isEmpty())
					&& openTotal() == shards);
		// the first replica gained all six, then handed some over
		assertThat(events(first)).filteredOn((event) -> event.endsWith("=true")).hasSizeGreaterThanOrEqualTo(shards);
		assertThat(events(first)).filteredOn((event) -> event.endsWith("=false")).hasSizeGreaterThanOrEqualTo(3);
		System.out.printf("cluster spread: %s after the third replica joined (%d ms)%n",
				all.stream().map((r) -> owned(r).size()).toList(), millis(System.nanoTime() - joined));
		await().during(LEASE)
			.atMost(LEASE.multipliedBy(2))
			.until(() -> all.stream().allMatch((r) -> owned(r).size() <= 3) && openTotal() == shards);
		third.close();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> openTotal() == shards && owned(first).size() <= 4 && owned(second).size() <= 4);
		assertNoOverlap();
	}

	@Test
	void maxOwnedIsAHardCap() {
		ConfigurableApplicationContext first = replica(6, "ws.cluster.max-owned=2");
		ConfigurableApplicationContext second = replica(6, "ws.cluster.max-owned=2");
		await().atMost(Duration.ofSeconds(15)).until(() -> openTotal() == 4);
		await().during(LEASE.multipliedBy(2))
			.atMost(LEASE.multipliedBy(3))
			.until(() -> openTotal() == 4 && owned(first).size() == 2 && owned(second).size() == 2);
		assertNoOverlap();
	}

	@Test
	void anOwnerThatCannotReachTheDatabaseDropsItsConnectionBeforeTheLeaseExpires() throws Exception {
		try (BlackholeProxy proxy = new BlackholeProxy(postgres.getPort())) {
			ConfigurableApplicationContext owner = replica(1,
					"cluster.datasource.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?socketTimeout=4");
			await().atMost(Duration.ofSeconds(15)).until(() -> open("feed-0") == 1);
			assertThat(owned(owner)).containsExactly("feed-0");
			replica(1);
			long outage = System.nanoTime();
			proxy.blackhole();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> connections("feed-0").size() == 2 && open("feed-0") == 1);
			List<Interval> feed = connections("feed-0");
			System.out.printf(
					"cluster database outage on the owner: dropped %d ms after the outage began (lease %d ms),"
							+ " standby connected %d ms after it%n",
					millis(feed.get(0).end - outage), LEASE.toMillis(), millis(feed.get(1).start - outage));
			assertThat(Duration.ofNanos(feed.get(0).end - outage)).isLessThan(LEASE);
			assertThat(events(owner)).containsExactly("feed-0=true", "feed-0=false");
			assertThat(owner.getBean(WsClients.class).get("feed-0").state()).isEqualTo(WsClientState.STANDBY);
			assertThat(Duration.ofNanos(feed.get(1).start - outage))
				.isLessThan(LEASE.plus(ACQUIRE_INTERVAL).plusSeconds(3));
			assertNoOverlap();
		}
	}

	@Test
	void aStandbyTakesOverWithinTheLeaseWhenTheOwnerIsKilled() throws Exception {
		Process process = replicaProcess();
		try {
			await().atMost(Duration.ofSeconds(15)).until(() -> open("feed-0") == 1);
			ConfigurableApplicationContext standby = replica(1);
			await().during(ACQUIRE_INTERVAL.multipliedBy(2))
				.atMost(Duration.ofSeconds(5))
				.until(() -> open("feed-0") == 1 && owned(standby).isEmpty());
			long killed = System.nanoTime();
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> connections("feed-0").size() == 2 && open("feed-0") == 1);
			List<Interval> feed = connections("feed-0");
			System.out.printf("cluster failover after SIGKILL: standby connected %d ms after the kill (lease %d ms)%n",
					millis(feed.get(1).start - killed), LEASE.toMillis());
			assertThat(Duration.ofNanos(feed.get(1).start - killed))
				.isLessThan(LEASE.plus(ACQUIRE_INTERVAL).plusSeconds(3));
			assertThat(owned(standby)).containsExactly("feed-0");
			assertNoOverlap();
		}
		finally {
			process.destroyForcibly();
		}
	}

	@Test
	void aPausedOwnerOverlapsTheNewOwnerByAtMostThePauseLessAQuarterLease() throws Exception {
		Process process = replicaProcess();
		try {
			await().atMost(Duration.ofSeconds(15)).until(() -> open("feed-0") == 1);
			ConfigurableApplicationContext standby = replica(1);
			await().during(ACQUIRE_INTERVAL.multipliedBy(2))
				.atMost(Duration.ofSeconds(5))
				.until(() -> open("feed-0") == 1 && owned(standby).isEmpty());
			// a long GC pause, a frozen container: the owner's watchdog cannot run
			signal("STOP", process.pid());
			long paused = System.nanoTime();
			await().atMost(Duration.ofSeconds(15)).until(() -> connections("feed-0").size() == 2);
			long resumed;
			try {
				await().pollDelay(Duration.ofMillis(500)).until(() -> true);
			}
			finally {
				signal("CONT", process.pid());
				resumed = System.nanoTime();
			}
			await().atMost(Duration.ofSeconds(15))
				.until(() -> open("feed-0") == 1 && connections("feed-0").get(0).end != 0);
			List<Interval> feed = connections("feed-0");
			long overlap = feed.get(0).end - feed.get(1).start;
			long pause = resumed - paused;
			System.out.printf(
					"cluster: owner paused %d ms (lease %d ms): the new owner connected %d ms into the pause,"
							+ " the old connection ended %d ms after the resume, overlap %d ms%n",
					millis(pause), LEASE.toMillis(), millis(feed.get(1).start - paused),
					millis(feed.get(0).end - resumed), millis(overlap));
			// the documented bound: pause - lease / 4, plus the resumed owner's watchdog
			// period and close time
			assertThat(Duration.ofNanos(overlap)).isLessThan(Duration.ofNanos(pause)
				.minus(LEASE.dividedBy(4))
				.plus(LEASE.dividedBy(20))
				.plus(LEASE.dividedBy(10))
				.plusMillis(200));
			assertThat(owned(standby)).containsExactly("feed-0");
		}
		finally {
			process.destroyForcibly();
		}
	}

	/** A replica in a JVM of its own, owning {@code feed-0} once it is ready. */
	private Process replicaProcess() throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), ClusterReplicaMain.class.getName()));
		properties(1).forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<Void> ready = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					System.out.println("[replica] " + line);
					if (line.equals("READY")) {
						ready.complete(null);
					}
				}
			}
			catch (Exception ex) {
				ready.completeExceptionally(ex);
			}
		});
		reader.setDaemon(true);
		reader.start();
		try {
			ready.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw ex;
		}
		return process;
	}

	private static void signal(String signal, long pid) throws Exception {
		assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
	}

	// replicas

	private ConfigurableApplicationContext replica(int clients, String... more) {
		Map<String, Object> properties = new LinkedHashMap<>(properties(clients));
		for (String property : more) {
			int equals = property.indexOf('=');
			properties.put(property.substring(0, equals), property.substring(equals + 1));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterTestApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private Map<String, String> properties(int clients) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("cluster.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.jmx.enabled", "false");
		properties.put("ws.cluster.enabled", "true");
		properties.put("ws.cluster.lease", LEASE.toMillis() + "ms");
		properties.put("ws.cluster.acquire-interval", ACQUIRE_INTERVAL.toMillis() + "ms");
		properties.put("ws.shutdown-timeout", "1s");
		for (int i = 0; i < clients; i++) {
			properties.put("ws.clients.feed-" + i + ".url", server.url("/" + this.prefix + "/feed-" + i).toString());
			properties.put("ws.clients.feed-" + i + ".cluster.singleton", "true");
		}
		return properties;
	}

	private static List<String> owned(ConfigurableApplicationContext replica) {
		return replica.isActive() ? replica.getBean(WsClusterCoordinator.class).owned() : List.of();
	}

	private static ConfigurableApplicationContext ownerOf(String client,
			List<ConfigurableApplicationContext> replicas) {
		return replicas.stream().filter((r) -> owned(r).contains(client)).findFirst().orElseThrow();
	}

	private static List<String> events(ConfigurableApplicationContext replica) {
		return replica.getBean(ClusterTestApplication.OwnershipEvents.class).events;
	}

	// the server's record

	private static void record(WsTestConnection connection) {
		Interval interval = new Interval(connection.handshake().path(), System.nanoTime());
		intervals.add(interval);
		while (connection.isOpen() && !stopping) {
			try {
				Thread.sleep(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		interval.end = System.nanoTime();
	}

	private List<Interval> connections(String client) {
		String path = "/" + this.prefix + "/" + client;
		return intervals.stream()
			.filter((i) -> i.path.equals(path))
			.sorted(Comparator.comparingLong((i) -> i.start))
			.toList();
	}

	private long open(String client) {
		return connections(client).stream().filter((i) -> i.end == 0).count();
	}

	private long openTotal() {
		return intervals.stream().filter((i) -> i.path.startsWith("/" + this.prefix + "/") && i.end == 0).count();
	}

	/**
	 * Per client, a connection starts only after the one before it ended, as the server
	 * saw it.
	 */
	private void assertNoOverlap() {
		AtomicInteger checked = new AtomicInteger();
		intervals.stream()
			.filter((i) -> i.path.startsWith("/" + this.prefix + "/"))
			.map((i) -> i.path)
			.distinct()
			.forEach((path) -> {
				List<Interval> list = connections(path.substring(path.lastIndexOf('/') + 1));
				for (int i = 1; i < list.size(); i++) {
					Interval before = list.get(i - 1);
					assertThat(before.end).as("%s: connection %d still open when %d started", path, i - 1, i)
						.isNotZero();
					assertThat(list.get(i).start + OVERLAP_TOLERANCE_NANOS)
						.as("%s: connections %d and %d overlap", path, i - 1, i)
						.isGreaterThanOrEqualTo(before.end);
					checked.incrementAndGet();
				}
			});
		System.out.printf("cluster: %d hand-overs checked for overlap%n", checked.get());
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	static final class Interval {

		final String path;

		final long start;

		volatile long end;

		Interval(String path, long start) {
			this.path = path;
			this.start = start;
		}

	}

}
