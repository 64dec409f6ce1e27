package dev.wsboot.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
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

import dev.wsboot.client.WsClient;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

/**
 * Echo round trip with one message in flight: send 64 bytes to Jetty's {@code /echo} and
 * wait until the handler has the answer. Both clients wait the same way (a
 * {@link CompletableFuture} completed by the handler).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class EchoLatencyBenchmark {

	@State(Scope.Benchmark)
	public static class Echo {

		@Param({ "rawTyrusGrizzly", "starterGrizzly", "rawTyrusGrizzlyNoIdleTimer", "starterGrizzlySpin" })
		public String client;

		FeedServer server;

		RoundTrip roundTrip;

		long sent;

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.server = FeedServer.start();
			URI uri = this.server.uri("/echo");
			this.roundTrip = switch (this.client) {
				case "rawTyrusGrizzly" -> new RawTyrus(uri, 0);
				case "rawTyrusGrizzlyNoIdleTimer" -> new RawTyrus(uri, -1);
				case "starterGrizzly" -> new Starter(uri, Map.of());
				case "starterGrizzlySpin" -> new Starter(uri, Map.of("ws.listener-spin", "200us"));
				default -> throw new IllegalArgumentException(this.client);
			};
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.roundTrip.close();
			this.server.close();
		}

	}

	@Benchmark
	public String roundTrip(Echo echo) throws Exception {
		return echo.roundTrip.send(Messages.text(echo.sent++)).get(5, TimeUnit.SECONDS);
	}

	interface RoundTrip extends AutoCloseable {

		/** Send the text; the future completes with the echo. */
		CompletableFuture<String> send(String text);

		@Override
		void close();

	}

	static final class RawTyrus implements RoundTrip {

		private final ClientManager client;

		private final Session session;

		private volatile CompletableFuture<String> pending;

		RawTyrus(URI uri, long idleTimeout) throws Exception {
			this.client = ClientManager.createClient(TyrusWsTransport.GRIZZLY_CONTAINER);
			this.client.setDefaultMaxSessionIdleTimeout(idleTimeout);
			this.client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
			this.session = this.client.connectToServer(new Endpoint() {
				@Override
				public void onOpen(Session session, EndpointConfig config) {
					session.addMessageHandler(String.class,
							(MessageHandler.Whole<String>) (text) -> RawTyrus.this.pending.complete(text));
				}
			}, ClientEndpointConfig.Builder.create().build(), uri);
		}

		@Override
		public CompletableFuture<String> send(String text) {
			CompletableFuture<String> pending = new CompletableFuture<>();
			this.pending = pending;
			this.session.getAsyncRemote().sendText(text);
			return pending;
		}

		@Override
		public void close() {
			try {
				this.session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
			}
			catch (IOException ex) {
				// ignore
			}
			this.client.shutdown();
		}

	}

	static final class Starter implements RoundTrip {

		private final ConfigurableApplicationContext context;

		private final WsClient client;

		private final StarterApp.EchoListener listener;

		Starter(URI uri, Map<String, Object> properties) throws InterruptedException {
			Map<String, Object> all = new LinkedHashMap<>(properties);
			all.put("ws.clients.echo.url", uri.toString());
			this.context = StarterApp.run(all, StarterApp.EchoListenerConfig.class);
			this.client = this.context.getBean("echo", WsClient.class);
			this.listener = this.context.getBean(StarterApp.EchoListener.class);
			Inbound.await(() -> this.client.isOpen() ? 1 : 0, 1, Duration.ofSeconds(30), "starter connect");
		}

		@Override
		public CompletableFuture<String> send(String text) {
			CompletableFuture<String> pending = new CompletableFuture<>();
			this.listener.pending = pending;
			this.client.sendText(text);
			return pending;
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

}
