package dev.wsboot.benchmarks;

import java.util.concurrent.TimeUnit;

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

/**
 * Inbound throughput: Jetty streams 64-byte JSON text messages as fast as the client
 * reads; the secondary result {@code messages} is the number delivered to the client's
 * handler per second. The benchmark thread only sleeps and samples the handler's counter,
 * so it takes no CPU from the client on this small machine; ignore the primary
 * {@code window} score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class InboundThroughputBenchmark {

	@State(Scope.Benchmark)
	public static class Feed {

		/**
		 * The receiving client. {@code serverHeadroom} is a raw socket that only counts
		 * frames: what the server can push at all.
		 * {@code rawTyrusGrizzlyStringNoIdleTimer} is raw Tyrus with the session idle
		 * timeout -1 instead of 0 (an experiment for a proposed transport setting).
		 */
		@Param({ "serverHeadroom", "rawTyrusGrizzlyString", "starterGrizzlyString", "rawTyrusGrizzlyJackson",
				"starterGrizzlyPojo", "rawTyrusJdkString", "starterTyrusJdkString", "rawTyrusJdkJackson",
				"starterTyrusJdkPojo", "rawJdkHttpJackson", "starterJdkHttpPojo", "rawTyrusGrizzlyStringNoIdleTimer" })
		public String client;

		FeedServer server;

		Inbound inbound;

		private ThreadCpu cpuBefore;

		private long receivedBefore;

		private String cpuPerMessage;

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.server = FeedServer.start();
			this.inbound = Inbound.open(this.client, this.server.uri("/stream"));
		}

		@Setup(Level.Iteration)
		public void snapshot() {
			this.receivedBefore = this.inbound.received();
			this.cpuBefore = ThreadCpu.snapshot();
		}

		@TearDown(Level.Iteration)
		public void measure() {
			long messages = this.inbound.received() - this.receivedBefore;
			this.cpuPerMessage = ThreadCpu.snapshot().perMessage(this.cpuBefore, messages);
		}

		@TearDown(Level.Trial)
		public void stop() {
			// the last iteration's CPU microseconds per delivered message, by thread;
			// ./bench reports it
			System.out.println("cpu-per-message " + this.client + " " + this.cpuPerMessage);
			this.inbound.close();
			this.server.close();
		}

	}

	/**
	 * {@code messages}: delivered to the handler; {@code contextSwitches}: voluntary
	 * context switches of all threads of this JVM (client and server), sampled every 50
	 * windows: divided by {@code messages} it tells how often a thread parks and is woken
	 * per message.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Delivered {

		public long messages;

		public long contextSwitches;

		long windows;

		long lastSwitches;

		@Setup(Level.Iteration)
		public void reset() {
			this.messages = 0;
			this.contextSwitches = 0;
			this.windows = 0;
			this.lastSwitches = ContextSwitches.voluntary();
		}

	}

	@Benchmark
	public void window(Feed feed, Delivered delivered) throws InterruptedException {
		long before = feed.inbound.received();
		Thread.sleep(20);
		delivered.messages += feed.inbound.received() - before;
		if (++delivered.windows % 50 == 0) {
			long switches = ContextSwitches.voluntary();
			delivered.contextSwitches += switches - delivered.lastSwitches;
			delivered.lastSwitches = switches;
		}
	}

}
