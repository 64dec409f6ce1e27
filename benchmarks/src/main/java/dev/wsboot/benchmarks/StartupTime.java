package dev.wsboot.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.core.metrics.StartupStep;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.wsboot.annotation.WsListener;

/**
 * Start-up time of one small application, run in a fresh JVM per measurement by
 * {@code ./bench}, in three variants: with the starter on the class path (one client, one
 * listener); with {@code -Dstartup.raw=true} the same feature by hand on raw Tyrus
 * ({@link RawTyrusClient}, class path without the starter and spring-messaging: issue
 * 14's "best raw client of the same transport"); and the same application on a class path
 * without any WebSocket client (its {@code @WsListener} annotation then is not there, and
 * the {@code ws.*} properties mean nothing).
 * <p>
 * Prints {@code runMillis} (time in {@code SpringApplication.run}),
 * {@code jvmToReadyMillis} (JVM start to context ready), the CPU time of the main thread
 * and of the whole process up to then ({@code mainCpuMillis}, {@code processCpuMillis})
 * and, with a client, {@code openMillis} (context ready to the client OPEN, not part of
 * start-up: the context does not wait for it).
 * <p>
 * With {@code -Dstartup.steps=N} it also prints the N slowest bean instantiations
 * (Spring's {@code BufferingApplicationStartup}); with {@code -Dstartup.cpu=N} the N
 * start-up steps with the most CPU time of their own ({@link CpuStartupSteps}).
 * <p>
 * Usage: {@code StartupTime wsUrl [clients]}.
 */
public final class StartupTime {

	private StartupTime() {
	}

	public static void main(String[] args) throws Exception {
		String url = args[0];
		int clients = (args.length > 1) ? Integer.parseInt(args[1]) : 1;
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.jmx.enabled", "false");
		properties.put("logging.level.root", "WARN");
		for (int i = 0; i < clients; i++) {
			properties.put("ws.clients.c" + i + ".url", url);
		}
		boolean raw = Boolean.getBoolean("startup.raw");
		int steps = Integer.getInteger("startup.steps", 0);
		BufferingApplicationStartup recorder = new BufferingApplicationStartup(100_000);
		properties.put("startup.url", url);
		SpringApplicationBuilder builder = new SpringApplicationBuilder(raw ? RawApp.class : App.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties);
		int cpuSteps = Integer.getInteger("startup.cpu", 0);
		CpuStartupSteps cpu = new CpuStartupSteps();
		if (steps > 0) {
			builder.applicationStartup(recorder);
		}
		else if (cpuSteps > 0) {
			builder.applicationStartup(cpu);
		}
		long started = System.nanoTime();
		ConfigurableApplicationContext context = builder.run();
		long ready = System.nanoTime();
		long mainCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
		long processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		long jvmToReady = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
		boolean starter = isPresent("dev.wsboot.client.WsClient");
		StringBuilder out = new StringBuilder();
		out.append("starter=").append(starter).append(" raw=").append(raw).append(" clients=").append(clients);
		out.append(" runMillis=").append((ready - started) / 1_000_000.0);
		out.append(" jvmToReadyMillis=").append(jvmToReady);
		out.append(" mainCpuMillis=").append(mainCpu / 1_000_000);
		out.append(" processCpuMillis=").append(processCpu / 1_000_000);
		if (starter && clients > 0) {
			out.append(" openMillis=").append(Opened.awaitAll(context, ready));
		}
		if (raw) {
			out.append(" openMillis=").append(RawApp.awaitOpen(context, ready));
		}
		System.out.println(out);
		if (steps > 0) {
			recorder.getBufferedTimeline()
				.getEvents()
				.stream()
				.filter((event) -> event.getStartupStep().getName().equals("spring.beans.instantiate"))
				.sorted(java.util.Comparator.comparing(StartupTimeline.TimelineEvent::getDuration).reversed())
				.limit(steps)
				.forEach((event) -> {
					String bean = "?";
					for (StartupStep.Tag tag : event.getStartupStep().getTags()) {
						if (tag.getKey().equals("beanName")) {
							bean = tag.getValue();
						}
					}
					System.out.println("  " + event.getDuration().toMillis() + " ms  " + bean);
				});
		}
		if (cpuSteps > 0) {
			cpu.largest(cpuSteps).forEach((line) -> System.out.println("  cpu " + line));
		}
		context.close();
		System.exit(0);
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, StartupTime.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	public static class App {

		@Bean
		Handler handler() {
			return new Handler();
		}

	}

	/**
	 * The same application without the starter, keeping its feature by hand: one raw
	 * Tyrus client ({@link RawTyrusClient}) delivering to the same {@code Handler}.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(App.class)
	public static class RawApp {

		@Bean
		RawTyrusClient rawTyrusClient(org.springframework.core.env.Environment environment, Handler handler) {
			return new RawTyrusClient(environment.getRequiredProperty("startup.url"), handler);
		}

		static double awaitOpen(ConfigurableApplicationContext context, long ready) throws InterruptedException {
			return millisUntil(context.getBean(RawTyrusClient.class)::isOpen, ready);
		}

	}

	/** Milliseconds from {@code ready} until {@code open} holds (at most 30 s). */
	static double millisUntil(BooleanSupplier open, long ready) throws InterruptedException {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (!open.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		return (System.nanoTime() - ready) / 1_000_000.0;
	}

	public static class Handler {

		public volatile long received;

		@WsListener
		public void onText(String text) {
			this.received++;
		}

	}

	/** Only loaded when the starter is there. */
	static final class Opened {

		static double awaitAll(ConfigurableApplicationContext context, long ready) throws InterruptedException {
			dev.wsboot.client.WsClients clients = context.getBean(dev.wsboot.client.WsClients.class);
			return millisUntil(() -> clients.all().stream().allMatch(dev.wsboot.client.WsClient::isOpen), ready);
		}

	}

}
