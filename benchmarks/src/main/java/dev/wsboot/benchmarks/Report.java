package dev.wsboot.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the outputs of one {@code ./bench} run into one table of figures, ratios and
 * targets (Markdown, printed and written to {@code results.md}).
 * <p>
 * Usage: {@code Report resultsDir}, reading {@code jmh.json}, {@code idle-*.txt},
 * {@code startup.txt} and {@code reconnect.txt}.
 */
public final class Report {

	private final Path dir;

	private final Map<String, JsonNode> jmh = new HashMap<>();

	private final List<String> rows = new ArrayList<>();

	private final List<String> targets = new ArrayList<>();

	private final Map<String, String> cpuPerMessage = new LinkedHashMap<>();

	private Report(Path dir) throws Exception {
		this.dir = dir;
		Path json = dir.resolve("jmh.json");
		if (Files.exists(json)) {
			for (JsonNode result : JsonMapper.builder().build().readTree(json.toFile())) {
				String benchmark = result.get("benchmark").asString();
				String simple = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
				this.jmh.put(
						simple.substring(0, simple.indexOf('.')) + ":" + result.get("params").get("client").asString(),
						result);
			}
		}
		Path text = dir.resolve("jmh.txt");
		if (Files.exists(text)) {
			for (String line : Files.readAllLines(text)) {
				int at = line.indexOf("cpu-per-message ");
				if (at >= 0) {
					String[] parts = line.substring(at + "cpu-per-message ".length()).split(" ", 2);
					this.cpuPerMessage.put(parts[0], (parts.length > 1) ? parts[1] : "");
				}
			}
		}
	}

	public static void main(String[] args) throws Exception {
		Report report = new Report(Path.of(args[0]));
		String text = report.render();
		Files.writeString(report.dir.resolve("results.md"), text);
		System.out.print(text);
	}

	private String render() throws Exception {
		inbound();
		outbound();
		echo();
		idle();
		fleet();
		startup();
		reconnect();
		StringBuilder out = new StringBuilder();
		out.append("| figure | value | ratio / note |\n| --- | ---: | --- |\n");
		this.rows.forEach((row) -> out.append(row).append('\n'));
		if (!this.cpuPerMessage.isEmpty()) {
			out.append("\nCPU per delivered message, µs, by thread (last inbound iteration; jetty-* is the in-process "
					+ "server, tyrus-#-thread-# Tyrus's scheduler):\n\n| client | total | by thread |\n| --- | ---: | --- |\n");
			this.cpuPerMessage.forEach((client, breakdown) -> {
				String total = breakdown.replaceAll(".*total=([0-9.]+).*", "$1");
				out.append("| ")
					.append(client)
					.append(" | ")
					.append(total)
					.append(" | ")
					.append(breakdown.replaceAll(" ?total=[0-9.]+", "")
						.replace("dev.wsboot.benchmarks.InboundThroughputBenchmark.window-jmh-worker-#", "jmh")
						.replace(" ", ", "))
					.append(" |\n");
			});
		}
		out.append("\n| target | result | met |\n| --- | --- | --- |\n");
		this.targets.forEach((row) -> out.append(row).append('\n'));
		return out.toString();
	}

	// inbound

	private void inbound() {
		String[][] pairs = { { "starterGrizzlyString", "rawTyrusGrizzlyString", "0.95" },
				{ "starterGrizzlyPojo", "rawTyrusGrizzlyJackson", "0.90" },
				{ "starterTyrusJdkString", "rawTyrusJdkString", "0.95" },
				{ "starterTyrusJdkPojo", "rawTyrusJdkJackson", "0.90" },
				{ "starterJdkHttpPojo", "rawJdkHttpJackson", "0.90" } };
		Double headroom = inboundRate("serverHeadroom");
		double fastest = 0;
		for (String client : List.of("rawTyrusGrizzlyString", "rawTyrusGrizzlyJackson", "rawTyrusJdkString",
				"rawTyrusJdkJackson", "rawJdkHttpJackson", "starterGrizzlyString", "starterGrizzlyPojo",
				"starterTyrusJdkString", "starterTyrusJdkPojo", "starterJdkHttpPojo")) {
			Double rate = inboundRate(client);
			if (rate != null) {
				fastest = Math.max(fastest, rate);
			}
		}
		if (headroom != null) {
			Double experiment = inboundRate("rawTyrusGrizzlyStringNoIdleTimer");
			this.rows.add(row("inbound: server headroom (raw socket reader)", msgs(headroom),
					String.format(Locale.ROOT, "%.1f× the fastest client", headroom / fastest) + ((experiment != null)
							? String.format(Locale.ROOT, ", %.1f× the experiment below", headroom / experiment) : "")));
		}
		for (String client : List.of("rawTyrusGrizzlyString", "starterGrizzlyString", "rawTyrusGrizzlyJackson",
				"starterGrizzlyPojo", "rawTyrusJdkString", "starterTyrusJdkString", "rawTyrusJdkJackson",
				"starterTyrusJdkPojo", "rawJdkHttpJackson", "starterJdkHttpPojo", "rawTyrusGrizzlyStringNoIdleTimer")) {
			Double rate = inboundRate(client);
			if (rate == null) {
				continue;
			}
			if (client.equals("rawTyrusGrizzlyStringNoIdleTimer") && inboundRate("rawTyrusGrizzlyString") != null) {
				this.rows
					.add(row("inbound (experiment): rawTyrusGrizzlyString with session idle timeout -1", msgs(rate),
							String.format(Locale.ROOT, "%.2f× rawTyrusGrizzlyString (idle timeout 0); ",
									rate / inboundRate("rawTyrusGrizzlyString"))
									+ allocPerMessage("InboundThroughputBenchmark:" + client, rate)));
				continue;
			}
			String note = allocPerMessage("InboundThroughputBenchmark:" + client, rate);
			for (String[] pair : pairs) {
				Double base = inboundRate(pair[1]);
				if (pair[0].equals(client) && base != null) {
					double ratio = rate / base;
					note = String.format(Locale.ROOT, "%.2f× %s; ", ratio, pair[1]) + note;
					target("inbound " + client + " ≥ " + pair[2] + "× " + pair[1],
							String.format(Locale.ROOT, "%.2f×", ratio), ratio >= Double.parseDouble(pair[2]));
				}
			}
			if (client.equals("starterGrizzlyPojo") && inboundRate("rawJdkHttpJackson") != null) {
				note = note + String.format(Locale.ROOT, "; %.2f× rawJdkHttpJackson",
						rate / inboundRate("rawJdkHttpJackson"));
			}
			this.rows.add(row("inbound: " + client, msgs(rate), note));
		}
	}

	private Double inboundRate(String client) {
		JsonNode result = this.jmh.get("InboundThroughputBenchmark:" + client);
		return (result != null) ? result.get("secondaryMetrics").get("messages").get("score").asDouble() : null;
	}

	/** Bytes allocated per delivered message, client and in-process server together. */
	private String allocPerMessage(String key, double rate) {
		JsonNode result = this.jmh.get(key);
		JsonNode alloc = (result != null) ? result.get("secondaryMetrics").get("gc.alloc.rate") : null;
		if (alloc == null) {
			return "";
		}
		double bytesPerSecond = alloc.get("score").asDouble() * 1024 * 1024;
		return String.format(Locale.ROOT, "%.0f B allocated/msg (incl. server)", bytesPerSecond / rate);
	}

	// outbound

	private void outbound() {
		Double raw = score("OutboundThroughputBenchmark:rawTyrusGrizzly");
		for (String client : List.of("serverHeadroom", "rawTyrusGrizzly", "starterGrizzly",
				"rawTyrusGrizzlyNoIdleTimer")) {
			Double rate = score("OutboundThroughputBenchmark:" + client);
			if (rate == null) {
				continue;
			}
			JsonNode norm = this.jmh.get("OutboundThroughputBenchmark:" + client)
				.get("secondaryMetrics")
				.get("gc.alloc.rate.norm");
			String note = (norm != null)
					? String.format(Locale.ROOT, "%.0f B allocated/msg (incl. server)", norm.get("score").asDouble())
					: "";
			if (client.equals("starterGrizzly") && raw != null) {
				double ratio = rate / raw;
				note = String.format(Locale.ROOT, "%.2f× rawTyrusGrizzly; ", ratio) + note;
				target("outbound starter ≥ 0.95× raw Tyrus", String.format(Locale.ROOT, "%.2f×", ratio), ratio >= 0.95);
			}
			if (client.equals("rawTyrusGrizzlyNoIdleTimer") && raw != null) {
				note = String.format(Locale.ROOT, "experiment: session idle timeout -1, %.2f× rawTyrusGrizzly; ",
						rate / raw) + note;
			}
			if (client.equals("serverHeadroom") && raw != null) {
				note = String.format(Locale.ROOT, "raw socket writer, %.1f× raw Tyrus; ", rate / raw) + note;
			}
			this.rows.add(row("outbound (64 in flight): " + client, msgs(rate), note));
		}
	}

	// echo

	private void echo() {
		JsonNode raw = this.jmh.get("EchoLatencyBenchmark:rawTyrusGrizzly");
		JsonNode starter = this.jmh.get("EchoLatencyBenchmark:starterGrizzly");
		for (JsonNode result : new JsonNode[] { raw, starter }) {
			if (result == null) {
				continue;
			}
			JsonNode percentiles = result.get("primaryMetric").get("scorePercentiles");
			String client = result.get("params").get("client").asString();
			String note = "";
			if (result == starter && raw != null) {
				double ratio = p(starter, "50.0") / p(raw, "50.0");
				note = String.format(Locale.ROOT, "p50 %.2f× raw, p99 %.2f× raw", ratio,
						p(starter, "99.0") / p(raw, "99.0"));
				target("echo p50 starter ≤ 1.05× raw Tyrus", String.format(Locale.ROOT, "%.2f×", ratio), ratio <= 1.05);
			}
			this.rows.add(row("echo round trip p50 / p99: " + client, String.format(Locale.ROOT, "%.0f / %.0f µs",
					percentiles.get("50.0").asDouble(), percentiles.get("99.0").asDouble()), note));
		}
	}

	private static double p(JsonNode result, String percentile) {
		return result.get("primaryMetric").get("scorePercentiles").get(percentile).asDouble();
	}

	// idle footprint

	private void idle() throws Exception {
		Map<String, String> empty = properties("idle-starter-0.txt");
		for (String mode : List.of("starter", "tyrus", "starterTyrusJdk", "tyrusJdk", "starterJdkHttp")) {
			for (String count : List.of("1000", "10000")) {
				Map<String, String> figures = properties("idle-" + mode + "-" + count + ".txt");
				if (figures == null) {
					continue;
				}
				long perConnection = Long.parseLong(figures.get("heapPerConnectionBytes"));
				int threads = Integer.parseInt(figures.get("threads"));
				String settled = figures.getOrDefault("threadsSettled", "n/a");
				String settledAfter = figures.getOrDefault("settledSecondsAfterConnect", "?");
				String note = "connect " + figures.get("connectMillis") + " ms, RSS "
						+ Long.parseLong(figures.get("rssKiB")) / 1024 + " MiB, direct buffers "
						+ Long.parseLong(figures.getOrDefault("directBufferBytes", "0")) / 1024 + " KiB";
				if (mode.startsWith("starter")) {
					note = "context with " + count + " clients starts in " + figures.get("contextStartMillis") + " ms; "
							+ note;
					if (empty != null) {
						long perClient = (Long.parseLong(figures.get("heapOpenBytes"))
								- Long.parseLong(empty.get("heapCreatedBytes"))) / Integer.parseInt(count);
						note = "per client incl. bean " + kib(perClient) + "; " + note;
					}
				}
				this.rows.add(row("idle " + mode + " × " + count + ": heap per connection / threads",
						kib(perConnection) + " / " + threads
								+ (settled.equals("n/a") ? "" : " (" + settled + " after " + settledAfter + " s)"),
						note));
				if (mode.equals("starter") && count.equals("10000")) {
					target("idle heap per connection ≤ 12 KiB at 10,000", kib(perConnection),
							perConnection <= 12 * 1024);
					target("threads ≤ 32 at 10,000 (after connecting / settled)", threads + " / " + settled,
							threads <= 32 && (settled.equals("n/a") || Integer.parseInt(settled) <= 32));
				}
				this.rows.add(row("idle " + mode + " × " + count + ": threads by name", "",
						figures.get("threadGroups") + (settled.equals("n/a") ? ""
								: "; after " + settledAfter + " s: " + figures.get("threadGroupsSettled"))));
			}
		}
	}

	/**
	 * {@code IdleFootprint fleet}: created clients, everything included, against raw
	 * Tyrus of the same run.
	 */
	private void fleet() throws Exception {
		for (String count : List.of("1000", "10000")) {
			Map<String, String> figures = properties("idle-fleet-" + count + ".txt");
			if (figures == null) {
				continue;
			}
			long perClient = Long.parseLong(figures.get("heapPerClientBytes"));
			int threads = Integer.parseInt(figures.get("threads"));
			String settled = figures.getOrDefault("threadsSettled", "n/a");
			this.rows.add(row("idle fleet × " + count + ": heap per created client (open, incl. meters) / threads",
					kib(perClient) + " / " + threads + (settled.equals("n/a") ? "" : " (" + settled + " settled)"),
					"not connected " + kib(Long.parseLong(figures.get("heapPerCreatedClientBytes"))) + "; create "
							+ figures.get("createMillis") + " ms, connect " + figures.get("connectMillis")
							+ " ms, remove " + figures.get("removeMillis") + " ms"));
			this.rows.add(row("idle fleet × " + count + ": left after removing all",
					"meters " + figures.get("metersAfterRemove") + ", health "
							+ figures.get("healthChildrenAfterRemove") + ", timer tasks "
							+ figures.get("timerTasksAfterRemove") + ", threads " + figures.get("threadsAfterRemove")
							+ " (before " + figures.get("threadsBase") + ")",
					"heap " + kib(
							Long.parseLong(figures.get("heapAfterRemoveMinusBaseBytes")) / Integer.parseInt(count))
							+ " per removed client"));
			Map<String, String> raw = properties("idle-tyrus-" + count + ".txt");
			if (raw != null) {
				long rawPerConnection = Long.parseLong(raw.get("heapPerConnectionBytes"));
				double ratio = (double) perClient / rawPerConnection;
				target("fleet heap per client ≤ 1.3× raw Tyrus at " + count,
						String.format(Locale.ROOT, "%.2f× (%s vs %s)", ratio, kib(perClient), kib(rawPerConnection)),
						ratio <= 1.3);
				String rawSettled = raw.get("threadsSettled");
				if (rawSettled != null && !settled.equals("n/a")) {
					double threadRatio = Double.parseDouble(settled) / Double.parseDouble(rawSettled);
					target("fleet threads ≤ 1.3× raw Tyrus at " + count + " (settled)",
							String.format(Locale.ROOT, "%.2f× (%s vs %s)", threadRatio, settled, rawSettled),
							threadRatio <= 1.3);
				}
			}
		}
	}

	// start-up

	private void startup() throws Exception {
		Path file = this.dir.resolve("startup.txt");
		if (!Files.exists(file)) {
			return;
		}
		Map<String, List<Map<String, String>>> runs = new HashMap<>();
		for (String line : Files.readAllLines(file)) {
			if (!line.startsWith("starter=")) {
				continue;
			}
			Map<String, String> figures = new HashMap<>();
			for (String token : line.trim().split(" ")) {
				figures.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
			}
			String variant = Boolean.parseBoolean(figures.get("starter")) ? "starter"
					: Boolean.parseBoolean(figures.get("raw")) ? "raw" : "bare";
			runs.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(figures);
		}
		List<Map<String, String>> with = runs.getOrDefault("starter", List.of());
		if (with.isEmpty()) {
			return;
		}
		double runWith = median(with, (m) -> m.get("runMillis"));
		double jvmWith = median(with, (m) -> m.get("jvmToReadyMillis"));
		this.rows.add(row(
				"start-up (SpringApplication.run, median of " + with.size()
						+ "): with the starter, one client + one @WsListener",
				String.format(Locale.ROOT, "%.0f ms", runWith),
				String.format(Locale.ROOT, "JVM start to ready %.0f ms; OPEN %.0f ms after ready", jvmWith,
						median(with, (m) -> m.get("openMillis")))));
		startupBaseline(runs.get("raw"), "the same app with a raw Tyrus client instead", runWith, jvmWith, true);
		startupBaseline(runs.get("bare"), "the same app without any WebSocket client", runWith, jvmWith, false);
	}

	private void startupBaseline(List<Map<String, String>> runs, String label, double runWith, double jvmWith,
			boolean goal) {
		if (runs == null || runs.isEmpty()) {
			return;
		}
		double run = median(runs, (m) -> m.get("runMillis"));
		double jvm = median(runs, (m) -> m.get("jvmToReadyMillis"));
		this.rows.add(row("start-up: " + label, String.format(Locale.ROOT, "%.0f ms", run), String.format(Locale.ROOT,
				"starter %.2f×; JVM start to ready %.0f ms (starter %.2f×)", runWith / run, jvm, jvmWith / jvm)));
		if (goal) {
			target("start-up ≤ 1.10× the raw Tyrus app", String.format(Locale.ROOT, "%.3f×", runWith / run),
					runWith / run <= 1.10);
		}
	}

	private static double median(List<Map<String, String>> runs, Function<Map<String, String>, String> value) {
		List<Double> values = new ArrayList<>();
		runs.forEach((run) -> values.add(Double.parseDouble(value.apply(run))));
		Collections.sort(values);
		int n = values.size();
		return (n % 2 == 1) ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
	}

	// reconnect

	private void reconnect() throws Exception {
		Map<String, String> figures = properties("reconnect.txt");
		if (figures == null) {
			return;
		}
		for (String delay : List.of("1s", "10ms")) {
			String key = "initialDelay" + delay;
			if (figures.containsKey(key + ".upToOpenMillis.median")) {
				this.rows.add(row("reconnect, initial-delay " + delay + ": server listening again → OPEN (median)",
						String.format(Locale.ROOT, "%.0f ms",
								Double.parseDouble(figures.get(key + ".upToOpenMillis.median"))),
						String.format(Locale.ROOT, "max %.0f ms; server stop → OPEN %.0f ms; all %s",
								Double.parseDouble(figures.get(key + ".upToOpenMillis.max")),
								Double.parseDouble(figures.get(key + ".stopToOpenMillis.median")),
								figures.get(key + ".upToOpenMillis.all"))));
			}
		}
	}

	// helpers

	private Map<String, String> properties(String name) throws Exception {
		Path file = this.dir.resolve(name);
		if (!Files.exists(file)) {
			return null;
		}
		Map<String, String> figures = new LinkedHashMap<>();
		for (String line : Files.readAllLines(file)) {
			int eq = line.indexOf('=');
			if (eq > 0) {
				figures.put(line.substring(0, eq), line.substring(eq + 1));
			}
		}
		return figures;
	}

	private Double score(String key) {
		JsonNode result = this.jmh.get(key);
		return (result != null) ? result.get("primaryMetric").get("score").asDouble() : null;
	}

	private void target(String what, String result, boolean met) {
		this.targets.add("| " + what + " | " + result + " | " + (met ? "met" : "**missed**") + " |");
	}

	private static String row(String figure, String value, String note) {
		return "| " + figure + " | " + value + " | " + note + " |";
	}

	private static String msgs(double rate) {
		return String.format(Locale.ROOT, "%,.0f msg/s", rate);
	}

	private static String kib(long bytes) {
		return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
	}

}
