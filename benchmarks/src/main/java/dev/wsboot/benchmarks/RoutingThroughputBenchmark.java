package dev.wsboot.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.benchmarks.Messages.Quote;

/**
 * Routing cost: Jetty streams 64-byte JSON quotes ({@code "sym":"ACME"}) as fast as the
 * client reads; the secondary result {@code messages} is the number delivered per second
 * to the listener that converts them. {@code singlePojo}: one {@code @WsListener(Quote)}
 * without {@code match} (the baseline); {@code tenMatch}: ten
 * {@code @WsListener(match = "/sym=...")} on the same client, nine that never match and
 * one that matches every message and converts it to {@code Quote} (one parse per message,
 * shared by the ten). The goal is {@code tenMatch} at least 0.9 times {@code singlePojo}.
 * As in {@link InboundThroughputBenchmark}, the benchmark thread only sleeps and samples;
 * ignore the primary {@code window} score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class RoutingThroughputBenchmark {

	@State(Scope.Benchmark)
	public static class Feed {

		/** The listeners of the receiving client. */
		@Param({ "singlePojo", "tenMatch" })
		public String listeners;

		FeedServer server;

		ConfigurableApplicationContext context;

		AtomicLong received;

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.server = FeedServer.start();
			boolean routed = this.listeners.equals("tenMatch");
			this.context = StarterApp.run(Map.of("ws.clients.feed.url", this.server.uri("/stream").toString()),
					routed ? TenMatchListenersConfig.class : StarterApp.QuoteListenerConfig.class);
			this.received = routed ? this.context.getBean(TenMatchListeners.class).received
					: this.context.getBean(StarterApp.QuoteListener.class).received;
			Inbound.await(this.received::get, 1000, java.time.Duration.ofSeconds(30), this.listeners);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
			this.server.close();
		}

	}

	/** {@code messages}: delivered to the converting listener. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Delivered {

		public long messages;

		@Setup(Level.Iteration)
		public void reset() {
			this.messages = 0;
		}

	}

	@Benchmark
	public void window(Feed feed, Delivered delivered) throws InterruptedException {
		long before = feed.received.get();
		Thread.sleep(20);
		delivered.messages += feed.received.get() - before;
	}

	/** Ten routed listeners on the client. */
	@Configuration(proxyBeanMethods = false)
	public static class TenMatchListenersConfig {

		@Bean
		TenMatchListeners tenMatchListeners() {
			return new TenMatchListeners();
		}

	}

	/** Nine listeners for other symbols, and the one for ACME. */
	public static final class TenMatchListeners {

		public final AtomicLong received = new AtomicLong();

		public final AtomicLong others = new AtomicLong();

		public long quantities;

		@WsListener(match = "/sym=ACME")
		public void onAcme(Quote quote) {
			this.quantities += quote.qty();
			this.received.incrementAndGet();
		}

		@WsListener(match = "/sym=INIT")
		public void onInit(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=GLOB")
		public void onGlob(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=UMBR")
		public void onUmbr(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=CYBD")
		public void onCybd(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=WAYN")
		public void onWayn(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=TYRL")
		public void onTyrl(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=STRK")
		public void onStrk(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = { "/sym=ACME", "/qty=0" })
		public void onAcmeEmpty(Quote quote) {
			this.others.incrementAndGet();
		}

		@WsListener(match = "/sym=OSCP")
		public void onOscp(Quote quote) {
			this.others.incrementAndGet();
		}

	}

}
