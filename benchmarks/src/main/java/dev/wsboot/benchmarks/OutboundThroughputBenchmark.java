package dev.wsboot.benchmarks;

import java.util.concurrent.TimeUnit;

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
 * Outbound throughput: one op is one 64-byte text message sent with 64 in flight, to a
 * Jetty endpoint that counts them. The teardown checks that the server received what was
 * sent.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class OutboundThroughputBenchmark {

	@State(Scope.Benchmark)
	public static class Sink {

		/**
		 * {@code rawTyrusGrizzlyNoIdleTimer}: raw Tyrus with the session idle timeout -1
		 * instead of 0 (an experiment for a proposed transport setting).
		 */
		@Param({ "serverHeadroom", "rawTyrusGrizzly", "starterGrizzly", "rawTyrusGrizzlyNoIdleTimer" })
		public String client;

		FeedServer server;

		Outbound outbound;

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.server = FeedServer.start();
			this.outbound = Outbound.open(this.client, this.server.uri("/count"));
		}

		@TearDown(Level.Trial)
		public void stop() throws InterruptedException {
			this.outbound.close();
			Thread.sleep(500);
			System.out.println("server counted " + this.server.counted() + " messages");
			this.server.close();
		}

	}

	@Benchmark
	public void send(Sink sink) throws Exception {
		sink.outbound.send();
	}

}
