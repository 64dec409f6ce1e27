package dev.wsboot.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

import org.springframework.context.ConfigurableApplicationContext;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

/**
 * Idle footprint: heap (after a full GC) and threads of N open, idle connections, with
 * the Jetty server in a child process so its memory and threads are not counted.
 * <p>
 * {@code starter N}: one Spring Boot context with <code>ws.clients.c&lt;i&gt;.url</code>
 * for every client (the public path: properties, one {@code WsClient} bean per client,
 * the shared Tyrus transport), {@code ws.defaults.auto-startup=false}, then
 * {@code connect()} in batches. {@code tyrus N}: raw Tyrus (Grizzly, shared container
 * like the starter's transport), {@code asyncConnectToServer} in batches.
 * {@code starterTyrusJdk} and {@code tyrusJdk}: the same on Tyrus's JDK NIO container.
 * {@code starterJdkHttp}: the starter with {@code ws.defaults.transport=jdk}
 * ({@code java.net.http}).
 * <p>
 * Heap per connection = (heap with N open − heap with the N clients created but not
 * connected) / N. For the starter, heap per client = (heap with N open − heap of the same
 * context with 0 clients, a separate run) / N: the bean, its settings and the connection.
 * <p>
 * Threads are counted 3 s after the last connection opened, and again
 * {@code settleSeconds} later (when given), once idle pool threads (Tyrus's connect
 * executor, Grizzly workers, the listener executor; 60 s keep-alive) may have expired.
 * <p>
 * {@code fleet N}: N clients created at run time from a template
 * ({@code WsClients.create}), with meters bound and health queried; heap per client =
 * (heap with N open − heap of the same context before the first was created) / N; then
 * all removed and what is left counted.
 * <p>
 * Usage:
 * {@code IdleFootprint starter|starterTyrusJdk|starterJdkHttp|fleet|tyrus|tyrusJdk N resultFile [settleSeconds]}.
 */
public final class IdleFootprint {

	private static final int BATCH = 250;

	private IdleFootprint() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		int count = Integer.parseInt(args[1]);
		Path result = Path.of(args[2]);
		int settleSeconds = (args.length > 3) ? Integer.parseInt(args[3]) : 0;
		Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx3g", "-cp", System.getProperty("java.class.path"), IdleServer.class.getName())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
		String line = out.readLine();
		if (line == null || !line.startsWith("PORT=")) {
			throw new IllegalStateException("server did not start: " + line);
		}
		URI uri = URI.create("ws://127.0.0.1:" + line.substring(5) + "/idle");
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("mode", mode);
		figures.put("connections", count);
		try {
			switch (mode) {
				case "starter" -> starter(uri, count, figures, settleSeconds, false);
				case "starterTyrusJdk" -> starter(uri, count, figures, settleSeconds, true);
				case "starterJdkHttp" -> starter(uri, count, figures, settleSeconds, false, "jdk");
				case "fleet" -> fleet(uri, count, figures, settleSeconds);
				case "tyrus" -> tyrus(uri, count, figures, settleSeconds, TyrusWsTransport.GRIZZLY_CONTAINER);
				case "tyrusJdk" -> tyrus(uri, count, figures, settleSeconds, TyrusWsTransport.JDK_CONTAINER);
				default -> throw new IllegalArgumentException(mode);
			}
		}
		finally {
			server.getOutputStream().close();
			if (!server.waitFor(10, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
		StringBuilder text = new StringBuilder();
		figures.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		Files.writeString(result, text);
		System.out.print(text);
		System.exit(0);
	}

	private static void starter(URI uri, int count, Map<String, Object> figures, int settleSeconds, boolean jdk)
			throws Exception {
		starter(uri, count, figures, settleSeconds, jdk, null);
	}

	private static void starter(URI uri, int count, Map<String, Object> figures, int settleSeconds, boolean jdk,
			String transport) throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("ws.defaults.auto-startup", "false");
		if (transport != null) {
			properties.put("ws.defaults.transport", transport);
		}
		for (int i = 0; i < count; i++) {
			properties.put("ws.clients.c" + i + ".url", uri.toString());
		}
		long started = System.nanoTime();
		ConfigurableApplicationContext context = jdk ? StarterApp.run(properties, StarterApp.JdkContainer.class)
				: StarterApp.run(properties);
		figures.put("contextStartMillis", (System.nanoTime() - started) / 1_000_000);
		List<WsClient> clients = context.getBean(WsClients.class).all();
		long created = settledHeap();
		figures.put("heapCreatedBytes", created);
		histogram("created");
		started = System.nanoTime();
		for (int from = 0; from < clients.size(); from += BATCH) {
			List<WsClient> batch = clients.subList(from, Math.min(clients.size(), from + BATCH));
			batch.forEach(WsClient::connect);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			for (WsClient client : batch) {
				while (!client.isOpen()) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(client + " did not open");
					}
					Thread.sleep(1);
				}
			}
		}
		figures.put("connectMillis", (System.nanoTime() - started) / 1_000_000);
		measureOpen(figures, created, count);
		settle(figures, settleSeconds);
		long open = clients.stream().filter(WsClient::isOpen).count();
		figures.put("stillOpen", open);
		context.close();
	}

	/**
	 * {@code fleet N}: one context with a template and no configured client, a
	 * {@code SimpleMeterRegistry} bound to the starter's meters and the health
	 * contributor queried; N clients made with {@code WsClients.create}, connected in
	 * batches, measured, then all removed, and what stays behind counted (threads,
	 * meters, health children, timer tasks, heap).
	 */
	private static void fleet(URI uri, int count, Map<String, Object> figures, int settleSeconds) throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("ws.templates.tenant.url", uri.toString());
		properties.put("ws.templates.tenant.auto-startup", "false");
		long started = System.nanoTime();
		ConfigurableApplicationContext context = StarterApp.run(properties);
		figures.put("contextStartMillis", (System.nanoTime() - started) / 1_000_000);
		WsClients clients = context.getBean(WsClients.class);
		io.micrometer.core.instrument.MeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		context.getBean(dev.wsboot.metrics.WsClientMetrics.class).bindTo(registry);
		org.springframework.boot.health.contributor.CompositeHealthContributor health = context.getBean(
				"wsClientsHealthContributor",
				org.springframework.boot.health.contributor.CompositeHealthContributor.class);
		java.lang.reflect.Field schedulerField = java.util.Objects
			.requireNonNull(org.springframework.util.ReflectionUtils
				.findField(context.getBean("wsClientThreads").getClass(), "scheduler"));
		org.springframework.util.ReflectionUtils.makeAccessible(schedulerField);
		java.util.concurrent.ThreadPoolExecutor timer = (java.util.concurrent.ThreadPoolExecutor) org.springframework.util.ReflectionUtils
			.getField(schedulerField, context.getBean("wsClientThreads"));
		// one batch created, opened and removed first: classes loaded, pools started, JIT
		// warm
		List<WsClient> warmUp = new ArrayList<>();
		for (int i = 0; i < Math.min(count, BATCH); i++) {
			warmUp.add(clients.create("warm-up-" + i, (spec) -> spec.template("tenant")));
		}
		warmUp.forEach(WsClient::connect);
		for (WsClient client : warmUp) {
			while (!client.isOpen()) {
				Thread.sleep(1);
			}
		}
		for (WsClient client : warmUp) {
			clients.remove(client.name()).get(60, TimeUnit.SECONDS);
		}
		warmUp.clear();
		Thread.sleep(12_000); // listener threads started by the burst of close events end
								// after 10 s
		int threadsBase = ManagementFactory.getThreadMXBean().getThreadCount();
		figures.put("threadsBase", threadsBase);
		figures.put("threadGroupsBase", threadGroups());
		long base = settledHeap();
		figures.put("heapBaseBytes", base);
		histogram("base");
		started = System.nanoTime();
		List<WsClient> fleet = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			fleet.add(clients.create("tenant-" + i, (spec) -> spec.template("tenant")));
		}
		figures.put("createMillis", (System.nanoTime() - started) / 1_000_000);
		long created = settledHeap();
		figures.put("heapCreatedBytes", created);
		figures.put("heapPerCreatedClientBytes", (created - base) / Math.max(1, count));
		histogram("created");
		started = System.nanoTime();
		for (int from = 0; from < count; from += BATCH) {
			List<WsClient> batch = fleet.subList(from, Math.min(count, from + BATCH));
			batch.forEach(WsClient::connect);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			for (WsClient client : batch) {
				while (!client.isOpen()) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(client + " did not open");
					}
					Thread.sleep(1);
				}
			}
		}
		figures.put("connectMillis", (System.nanoTime() - started) / 1_000_000);
		measureOpen(figures, created, count);
		figures.put("heapPerClientBytes", ((long) figures.get("heapOpenBytes") - base) / Math.max(1, count));
		figures.put("meters", registry.getMeters().size());
		figures.put("healthChildren", health.stream().count());
		figures.put("timerTasks", timer.getQueue().size());
		settle(figures, settleSeconds);
		figures.put("stillOpen", fleet.stream().filter(WsClient::isOpen).count());
		started = System.nanoTime();
		List<java.util.concurrent.CompletableFuture<Void>> removed = new ArrayList<>(count);
		for (WsClient client : fleet) {
			removed.add(clients.remove(client.name()));
		}
		java.util.concurrent.CompletableFuture.allOf(removed.toArray(java.util.concurrent.CompletableFuture[]::new))
			.get(120, TimeUnit.SECONDS);
		figures.put("removeMillis", (System.nanoTime() - started) / 1_000_000);
		figures.put("closedAfterRemove",
				fleet.stream().filter((client) -> client.state().name().equals("CLOSED")).count());
		fleet.clear();
		removed.clear();
		Thread.sleep(12_000); // as before the base figures
		figures.put("metersAfterRemove", registry.getMeters().size());
		figures.put("healthChildrenAfterRemove", health.stream().count());
		figures.put("timerTasksAfterRemove", timer.getQueue().size());
		figures.put("threadsAfterRemove", ManagementFactory.getThreadMXBean().getThreadCount());
		figures.put("threadGroupsAfterRemove", threadGroups());
		figures.put("heapAfterRemoveMinusBaseBytes", settledHeap() - base);
		histogram("removed");
		context.close();
	}

	private static void tyrus(URI uri, int count, Map<String, Object> figures, int settleSeconds, String container)
			throws Exception {
		ClientManager client = ClientManager.createClient(container);
		client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
		List<Session> sessions = new ArrayList<>(count);
		ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
		long created = settledHeap();
		figures.put("heapCreatedBytes", created);
		histogram("created");
		long started = System.nanoTime();
		for (int from = 0; from < count; from += BATCH) {
			List<Future<Session>> batch = new ArrayList<>();
			for (int i = from; i < Math.min(count, from + BATCH); i++) {
				batch.add(client.asyncConnectToServer(new Endpoint() {
					@Override
					public void onOpen(Session session, EndpointConfig config) {
					}
				}, config, uri));
			}
			for (Future<Session> session : batch) {
				sessions.add(session.get(60, TimeUnit.SECONDS));
			}
		}
		figures.put("connectMillis", (System.nanoTime() - started) / 1_000_000);
		measureOpen(figures, created, count);
		settle(figures, settleSeconds);
		figures.put("stillOpen", sessions.stream().filter(Session::isOpen).count());
	}

	private static void measureOpen(Map<String, Object> figures, long created, int count) throws Exception {
		// let connect-time worker threads and timers settle, then measure
		Thread.sleep(3000);
		long open = settledHeap();
		figures.put("heapOpenBytes", open);
		histogram("open");
		figures.put("heapPerConnectionBytes", (count > 0) ? (open - created) / count : 0);
		figures.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
		figures.put("threadGroups", threadGroups());
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			if (pool.getName().equals("direct")) {
				figures.put("directBufferBytes", pool.getMemoryUsed());
			}
		}
		figures.put("rssKiB", rssKiB());
	}

	private static void settle(Map<String, Object> figures, int settleSeconds) throws InterruptedException {
		if (settleSeconds > 0) {
			Thread.sleep(settleSeconds * 1000L);
			figures.put("settledSecondsAfterConnect", 3 + settleSeconds);
			figures.put("threadsSettled", ManagementFactory.getThreadMXBean().getThreadCount());
			figures.put("threadGroupsSettled", threadGroups());
		}
	}

	/**
	 * With {@code -Didle.histogram=<prefix>}: write the class histogram to
	 * {@code <prefix>-<stage>.txt}.
	 */
	private static void histogram(String stage) throws Exception {
		String prefix = System.getProperty("idle.histogram");
		if (prefix != null) {
			Object text = ManagementFactory.getPlatformMBeanServer()
				.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
						"gcClassHistogram", new Object[] { new String[0] }, new String[] { String[].class.getName() });
			Files.writeString(Path.of(prefix + "-" + stage + ".txt"), text.toString());
		}
	}

	/** Heap used after full collections, once it stops shrinking. */
	static long settledHeap() throws InterruptedException {
		long last = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(200);
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (Math.abs(last - used) < 64 * 1024) {
				return used;
			}
			last = used;
		}
		return last;
	}

	/** Live threads by name with digits stripped: "ws-timer-#=1, grizzly-#=2, ...". */
	private static String threadGroups() {
		Map<String, Integer> groups = new TreeMap<>();
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
			groups.merge(info.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
		}
		StringBuilder text = new StringBuilder();
		groups.forEach((name, n) -> text.append(text.isEmpty() ? "" : "; ").append(name).append(" x").append(n));
		return text.toString();
	}

	private static long rssKiB() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (Exception ex) {
			// not Linux
		}
		return -1;
	}

}
