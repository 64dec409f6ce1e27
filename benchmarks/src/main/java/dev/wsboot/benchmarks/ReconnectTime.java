package dev.wsboot.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientOpenedEvent;

/**
 * Reconnect time: the Jetty server is stopped (its connections close) and started again
 * at once on the same port; measured from the moment it listens again to the client's
 * {@code WsClientOpenedEvent}, and from the stop to OPEN. Two clients in one context,
 * with {@code initial-delay} 1s (the default) and 10ms; each connection has been open for
 * 10.5 s (stable, so the back-off starts again) before the server stops. With the default
 * back-off ({@code initial-delay=1s}, jitter 0.2) the first attempt waits 0.8–1.2 s by
 * design; with {@code initial-delay=10ms} what remains is the starter's and Tyrus's own
 * work.
 * <p>
 * Usage: {@code ReconnectTime resultFile rounds}.
 */
public final class ReconnectTime {

	private ReconnectTime() {
	}

	public static void main(String[] args) throws Exception {
		Path result = Path.of(args[0]);
		int rounds = Integer.parseInt(args[1]);
		FeedServer server = FeedServer.start();
		int port = server.port();
		String url = server.uri("/idle").toString();
		Map<String, String> delays = new LinkedHashMap<>();
		delays.put("default", "1s");
		delays.put("fast", "10ms");
		Map<String, Object> properties = new LinkedHashMap<>();
		delays.forEach((name, delay) -> {
			properties.put("ws.clients." + name + ".url", url);
			properties.put("ws.clients." + name + ".reconnect.initial-delay", delay);
		});
		ConfigurableApplicationContext context = StarterApp.run(properties, OpenedRecorder.class);
		OpenedRecorder recorder = context.getBean(OpenedRecorder.class);
		Map<String, List<Double>> fromUp = new LinkedHashMap<>();
		Map<String, List<Double>> fromDown = new LinkedHashMap<>();
		for (String name : delays.keySet()) {
			fromUp.put(name, new ArrayList<>());
			fromDown.put(name, new ArrayList<>());
			recorder.await(name);
		}
		for (int i = 0; i < rounds; i++) {
			// a connection open for 10 s counts as stable: the back-off starts again at
			// initial-delay
			Thread.sleep(10_500);
			long down = System.nanoTime();
			server.close();
			for (String name : delays.keySet()) {
				WsClient client = context.getBean(name, WsClient.class);
				Inbound.await(() -> client.isOpen() ? 0 : 1, 1, Duration.ofSeconds(10), "close noticed");
			}
			server = FeedServer.start(port);
			long up = System.nanoTime();
			for (String name : delays.keySet()) {
				long open = recorder.await(name);
				fromUp.get(name).add((open - up) / 1e6);
				fromDown.get(name).add((open - down) / 1e6);
			}
		}
		context.close();
		server.close();
		Map<String, Object> figures = new LinkedHashMap<>();
		delays.forEach((name, delay) -> {
			String key = "initialDelay" + delay;
			figures.put(key + ".upToOpenMillis.median", median(fromUp.get(name)));
			figures.put(key + ".upToOpenMillis.max", Collections.max(fromUp.get(name)));
			figures.put(key + ".stopToOpenMillis.median", median(fromDown.get(name)));
			figures.put(key + ".upToOpenMillis.all", fromUp.get(name));
		});
		StringBuilder text = new StringBuilder();
		figures.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		Files.writeString(result, text);
		System.out.print(text);
		System.exit(0);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	@Configuration(proxyBeanMethods = false)
	public static class OpenedRecorder {

		private final Map<String, LinkedBlockingQueue<Long>> opened = new ConcurrentHashMap<>();

		@EventListener
		public void onOpened(WsClientOpenedEvent event) {
			queue(event.client().name()).add(System.nanoTime());
		}

		long await(String name) throws InterruptedException {
			Long open = queue(name).poll(30, TimeUnit.SECONDS);
			if (open == null) {
				throw new IllegalStateException(name + " did not open");
			}
			return open;
		}

		private LinkedBlockingQueue<Long> queue(String name) {
			return this.opened.computeIfAbsent(name, (key) -> new LinkedBlockingQueue<>());
		}

	}

}
