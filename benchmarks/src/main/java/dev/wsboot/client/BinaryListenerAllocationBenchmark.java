package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.MessageConverter;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.benchmarks.StarterApp;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsTransport;

/**
 * What the starter itself allocates per inbound 1 KiB binary message, from the transport
 * callback to the {@code @WsListener} method and back: run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm} (bytes per message). No network and no transport: an
 * in-memory transport opens the connection and the benchmark thread plays the transport
 * thread, with the listener executor running inline, so everything allocated per
 * operation is the starter's (and spring-messaging's invocation). In package
 * {@code dev.wsboot.client} to reach the client's internals.
 * <p>
 * {@code byteBuffer}: a {@code ByteBuffer} listener (pooled buffers); {@code byteArray}:
 * a {@code byte[]} listener (pooled hand-off, plus its own array per message);
 * {@code wsMessage}: a {@code WsMessage} listener, which may keep the message, so nothing
 * is pooled (the cost every binary listener paid before the pool).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class BinaryListenerAllocationBenchmark {

	@State(Scope.Benchmark)
	public static class Feed {

		@Param({ "byteBuffer", "byteArray", "wsMessage" })
		public String listener;

		ConfigurableApplicationContext context;

		ScheduledExecutorService scheduler;

		WsConnectionHandler handler;

		final ByteBuffer payload = ByteBuffer.allocate(1024);

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.context = StarterApp
				.run(Map.of("ws.clients.buffer.url", "ws://127.0.0.1:9/feed", "ws.clients.buffer.auto-startup", "false",
						"ws.clients.bytes.url", "ws://127.0.0.1:9/feed", "ws.clients.bytes.auto-startup", "false",
						"ws.clients.message.url", "ws://127.0.0.1:9/feed", "ws.clients.message.auto-startup", "false"),
						Listeners.class);
			String name = switch (this.listener) {
				case "byteBuffer" -> "buffer";
				case "byteArray" -> "bytes";
				default -> "message";
			};
			WsClientSettings settings = this.context.getBean(WsClientFactory.class).settings(name);
			InMemoryTransport transport = new InMemoryTransport();
			this.scheduler = Executors.newSingleThreadScheduledExecutor();
			WsClientFactory factory = new WsClientFactory((client) -> settings, (transportName) -> transport,
					this.scheduler, Runnable::run, this.context,
					this.context.getBean(WsAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME, MessageConverter.class),
					this.context.getBean(WsMessageListeners.class), Duration.ofSeconds(1));
			WsClient client = factory.createClient(name);
			client.connect();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!(transport.handler != null && client.isOpen())) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The in-memory connection did not open");
				}
				Thread.onSpinWait();
			}
			this.handler = transport.handler;
			for (int i = 0; i < this.payload.capacity(); i++) {
				this.payload.put(i, (byte) i);
			}
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
			this.scheduler.shutdownNow();
		}

	}

	@Benchmark
	public void binary1KiB(Feed feed) {
		feed.payload.clear();
		feed.handler.onBinary(feed.payload, true);
	}

	/** The listeners, one per client. */
	public static class Listeners {

		long sum;

		@WsListener("buffer")
		public void onBuffer(ByteBuffer data) {
			this.sum += data.get(data.position() + 17);
		}

		@WsListener("bytes")
		public void onBytes(byte[] data) {
			this.sum += data[17];
		}

		@WsListener("message")
		public void onMessage(WsMessage message) {
			this.sum += message.binary().get(17);
		}

	}

	/** Opens every connect at once, in memory; nothing is sent anywhere. */
	static final class InMemoryTransport implements WsTransport {

		volatile WsConnectionHandler handler;

		@Override
		public CompletableFuture<WsConnection> connect(WsConnectRequest request, WsConnectionHandler handler) {
			WsConnection connection = new InMemoryConnection();
			handler.onOpen(connection);
			this.handler = handler;
			return CompletableFuture.completedFuture(connection);
		}

		@Override
		public void close() {
		}

	}

	static final class InMemoryConnection implements WsConnection {

		private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

		@Override
		public CompletableFuture<Void> sendText(CharSequence text, boolean last) {
			return DONE;
		}

		@Override
		public CompletableFuture<Void> sendBinary(ByteBuffer data, boolean last) {
			return DONE;
		}

		@Override
		public CompletableFuture<Void> sendPing(ByteBuffer payload) {
			return DONE;
		}

		@Override
		public CompletableFuture<Void> sendClose(int code, String reason) {
			return DONE;
		}

		@Override
		public void abort() {
		}

		@Override
		public Optional<String> subprotocol() {
			return Optional.empty();
		}

		@Override
		public List<String> extensions() {
			return List.of();
		}

	}

}
