package dev.wsboot.conformance;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SimpleCommandLinePropertySource;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.conformance.CaseOutcomes.Outcome;

/**
 * Runs the Autobahn|Testsuite client cases against a fuzzing server with the starter's
 * own managed clients, the standard way: {@code /getCaseCount}, then
 * {@code /runCase?case=N} for every case (each message echoed back by a
 * {@code @WsListener}), then {@code /updateReports}. The verdicts are the server's, in
 * its {@code index.json}.
 * <p>
 * Arguments: {@code --server=ws://127.0.0.1:9001} (required),
 * {@code --agent=ws-spring-boot}, {@code --case-timeout=30s}, {@code --transport=tyrus}
 * (the clients' {@code transport}). Exits 0 when every case ran to a close (whatever the
 * verdict), 1 when a case timed out, 2 when the run itself failed.
 */
public final class AutobahnClientConformance {

	private static final int CONNECT_ATTEMPTS = 3;

	private final URI server;

	private final String agent;

	private final Duration caseTimeout;

	private final String transport;

	private int connectRetries;

	AutobahnClientConformance(URI server, String agent, Duration caseTimeout, String transport) {
		this.server = server;
		this.agent = agent;
		this.caseTimeout = caseTimeout;
		this.transport = transport;
	}

	public static void main(String[] args) {
		SimpleCommandLinePropertySource arguments = new SimpleCommandLinePropertySource(args);
		String server = arguments.getProperty("server");
		if (server == null) {
			System.err.println("usage: --server=ws://127.0.0.1:PORT [--agent=ws-spring-boot] [--case-timeout=30s]"
					+ " [--transport=tyrus|jdk]");
			System.exit(2);
		}
		String agent = valueOr(arguments, "agent", "ws-spring-boot");
		Duration caseTimeout = DurationStyle.detectAndParse(valueOr(arguments, "case-timeout", "30s"));
		String transport = valueOr(arguments, "transport", "tyrus");
		int status;
		try {
			status = new AutobahnClientConformance(URI.create(server), agent, caseTimeout, transport).run();
		}
		catch (Exception ex) {
			System.err.println("Conformance run failed: " + ex);
			ex.printStackTrace();
			status = 2;
		}
		System.exit(status);
	}

	private static String valueOr(SimpleCommandLinePropertySource arguments, String name, String fallback) {
		String value = arguments.getProperty(name);
		return (value != null) ? value : fallback;
	}

	int run() throws Exception {
		int count = caseCount();
		System.out.println("Fuzzing server " + this.server + " has " + count + " cases for agent '" + this.agent
				+ "' (transport " + this.transport + ")");
		int timedOut = 0;
		try (ConfigurableApplicationContext context = start(EchoConfiguration.class, echoClients(count))) {
			WsClients clients = context.getBean(WsClients.class);
			CaseOutcomes outcomes = context.getBean(CaseOutcomes.class);
			for (int n = 1; n <= count; n++) {
				long started = System.nanoTime();
				String outcome = runToClose(clients.get("case-" + n), outcomes);
				if (outcome == null) {
					timedOut++;
					outcome = "no close within " + this.caseTimeout.toMillis() + " ms, closed by the driver";
				}
				System.out.printf("case %3d/%d: %s (%d ms)%n", n, count, outcome,
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
			}
			String reports = runToClose(clients.get("reports"), outcomes);
			if (reports == null) {
				throw new TimeoutException("/updateReports did not close within " + this.caseTimeout);
			}
			System.out.println("Reports updated: " + reports);
			System.out.println("Connects tried again after failing before the handshake: " + this.connectRetries);
		}
		return (timedOut > 0) ? 1 : 0;
	}

	private int caseCount() throws Exception {
		Map<String, Object> properties = clientDefaults();
		properties.put("ws.clients.count.url", endpoint("/getCaseCount?agent=" + this.agent));
		properties.put("ws.clients.count.auto-startup", true);
		try (ConfigurableApplicationContext context = start(CaseCountConfiguration.class, properties)) {
			return context.getBean(CaseCount.class).get(this.caseTimeout);
		}
	}

	private Map<String, Object> echoClients(int count) {
		Map<String, Object> properties = clientDefaults();
		for (int n = 1; n <= count; n++) {
			properties.put("ws.clients.case-" + n + ".url", endpoint("/runCase?case=" + n + "&agent=" + this.agent));
		}
		properties.put("ws.clients.reports.url", endpoint("/updateReports?agent=" + this.agent));
		return properties;
	}

	/**
	 * Every client: connected by the driver, once (no reconnect), no pings of its own,
	 * large messages.
	 */
	private Map<String, Object> clientDefaults() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("ws.defaults.transport", this.transport);
		properties.put("ws.defaults.auto-startup", false);
		properties.put("ws.defaults.reconnect.enabled", false);
		properties.put("ws.defaults.ping-interval", "0");
		properties.put("ws.defaults.max-message-size", "16MB");
		properties.put("ws.shutdown-timeout", "2s");
		return properties;
	}

	private String endpoint(String pathAndQuery) {
		return this.server.resolve(pathAndQuery).toString();
	}

	/**
	 * Connect and wait for the connection to end; {@code null} when it did not in time. A
	 * connect that fails before the handshake (the server has not started the case) is
	 * tried again, and said so.
	 */
	private String runToClose(WsClient client, CaseOutcomes outcomes) throws Exception {
		for (int attempt = 1;; attempt++) {
			CompletableFuture<Outcome> outcome = outcomes.expect(client.name());
			client.connect();
			Outcome ended;
			try {
				ended = outcome.get(this.caseTimeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				client.close(1000, "case timeout")
					.orTimeout(5, TimeUnit.SECONDS)
					.exceptionally((failure) -> null)
					.join();
				return null;
			}
			if (ended.opened() || attempt == CONNECT_ATTEMPTS) {
				return ended.description();
			}
			this.connectRetries++;
			System.out.println("  " + client.name() + ": " + ended.description() + "; connecting again");
		}
	}

	private static ConfigurableApplicationContext start(Class<?> configuration, Map<String, Object> properties) {
		return new SpringApplicationBuilder(configuration).bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.properties(properties)
			.properties("spring.main.web-application-type=none", "logging.level.dev.wsboot=WARN")
			.run();
	}

}
