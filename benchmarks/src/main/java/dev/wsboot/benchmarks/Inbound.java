package dev.wsboot.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import dev.wsboot.benchmarks.Messages.Quote;
import dev.wsboot.client.WsClient;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

/**
 * One receiving client of the inbound benchmark: it connects to {@code /stream} and
 * counts the messages that reached its handler.
 */
public interface Inbound extends AutoCloseable {

	/**
	 * The messages delivered to the handler so far.
	 * @return the count
	 */
	long received();

	@Override
	void close();

	/**
	 * Open the client of the given kind.
	 * @param kind see {@link InboundThroughputBenchmark}'s parameter
	 * @param uri the {@code /stream} URI
	 * @return the connected client
	 */
	static Inbound open(String kind, URI uri) throws Exception {
		Inbound inbound = switch (kind) {
			case "serverHeadroom" -> new RawSocket(uri);
			case "rawTyrusGrizzlyString" -> new RawTyrus(TyrusWsTransport.GRIZZLY_CONTAINER, false, uri);
			case "rawTyrusGrizzlyStringNoIdleTimer" -> new RawTyrus(TyrusWsTransport.GRIZZLY_CONTAINER, false, uri, -1);
			case "rawTyrusGrizzlyJackson" -> new RawTyrus(TyrusWsTransport.GRIZZLY_CONTAINER, true, uri);
			case "rawTyrusJdkString" -> new RawTyrus(TyrusWsTransport.JDK_CONTAINER, false, uri);
			case "rawTyrusJdkJackson" -> new RawTyrus(TyrusWsTransport.JDK_CONTAINER, true, uri);
			case "rawJdkHttpJackson" -> new RawJdkHttp(uri);
			case "starterGrizzlyString" -> new Starter(uri, false, false);
			case "starterGrizzlyPojo" -> new Starter(uri, false, true);
			case "starterTyrusJdkString" -> new Starter(uri, true, false);
			case "starterTyrusJdkPojo" -> new Starter(uri, true, true);
			case "starterJdkHttpPojo" -> new Starter(uri, Map.of("ws.clients.feed.transport", "jdk"), false, true);
			default -> throw new IllegalArgumentException(kind);
		};
		await(inbound::received, 1000, Duration.ofSeconds(30), kind);
		return inbound;
	}

	static void await(LongSupplier count, long atLeast, Duration timeout, String what) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (count.getAsLong() < atLeast) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						what + ": only " + count.getAsLong() + " of " + atLeast + " after " + timeout);
			}
			Thread.sleep(5);
		}
	}

	/**
	 * The server's headroom: a raw socket that does the handshake and then only counts
	 * frames (no unmasking needed, no strings, no UTF-8 decoding).
	 */
	final class RawSocket implements Inbound {

		private final Socket socket;

		private final AtomicLong received = new AtomicLong();

		private final Thread reader;

		RawSocket(URI uri) throws IOException {
			this.socket = new Socket(uri.getHost(), uri.getPort());
			this.socket.setReceiveBufferSize(1 << 20);
			OutputStream out = this.socket.getOutputStream();
			out.write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			this.reader = new Thread(this::read, "raw-socket-reader");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		private void read() {
			byte[] buffer = new byte[1 << 18];
			int start = 0;
			int end = 0;
			boolean headers = true;
			long count = 0;
			try {
				InputStream in = this.socket.getInputStream();
				while (true) {
					if (start > 0) {
						System.arraycopy(buffer, start, buffer, 0, end - start);
						end -= start;
						start = 0;
					}
					int read = in.read(buffer, end, buffer.length - end);
					if (read < 0) {
						return;
					}
					end += read;
					if (headers) {
						int body = endOfHeaders(buffer, end);
						if (body < 0) {
							continue;
						}
						headers = false;
						start = body;
					}
					while (end - start >= 2) {
						int b0 = buffer[start] & 0xff;
						int length = buffer[start + 1] & 0x7f;
						int header = 2;
						if (length == 126) {
							if (end - start < 4) {
								break;
							}
							length = ((buffer[start + 2] & 0xff) << 8) | (buffer[start + 3] & 0xff);
							header = 4;
						}
						else if (length == 127) {
							throw new IllegalStateException("unexpected large frame");
						}
						if (end - start < header + length) {
							break;
						}
						int opcode = b0 & 0x0f;
						if ((b0 & 0x80) != 0 && opcode <= 2) {
							count++;
						}
						start += header + length;
					}
					this.received.lazySet(count);
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		private static int endOfHeaders(byte[] buffer, int end) {
			for (int i = 3; i < end; i++) {
				if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') {
					return i + 1;
				}
			}
			return -1;
		}

		@Override
		public long received() {
			return this.received.get();
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}

	}

	/**
	 * Raw Tyrus: {@code MessageHandler.Whole<String>} on the given container, set up like
	 * the starter's transport (shared container), optionally with hand-written Jackson.
	 */
	final class RawTyrus implements Inbound {

		private static final JsonMapper JSON = JsonMapper.builder().build();

		private final ClientManager client;

		private final Session session;

		private final AtomicLong received = new AtomicLong();

		long quantities;

		RawTyrus(String container, boolean jackson, URI uri) throws Exception {
			this(container, jackson, uri, 0);
		}

		/**
		 * A raw Tyrus client.
		 * @param idleTimeout the session idle timeout of Tyrus: {@code 0} (the default,
		 * also the starter's) still schedules a no-op task per message, {@code -1} does
		 * not
		 */
		RawTyrus(String container, boolean jackson, URI uri, long idleTimeout) throws Exception {
			this.client = ClientManager.createClient(container);
			this.client.setDefaultMaxSessionIdleTimeout(idleTimeout);
			this.client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
			MessageHandler.Whole<String> handler = jackson ? (text) -> {
				Quote quote = JSON.readValue(text, Quote.class);
				this.quantities += quote.qty();
				this.received.incrementAndGet();
			} : (text) -> this.received.incrementAndGet();
			this.session = this.client.connectToServer(new Endpoint() {
				@Override
				public void onOpen(Session session, EndpointConfig config) {
					session.addMessageHandler(String.class, handler);
				}
			}, ClientEndpointConfig.Builder.create().build(), uri);
		}

		@Override
		public long received() {
			return this.received.get();
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

	/**
	 * Raw {@code java.net.http.WebSocket} with hand-written Jackson 3, one message
	 * requested at a time.
	 */
	final class RawJdkHttp implements Inbound, WebSocket.Listener {

		private static final JsonMapper JSON = JsonMapper.builder().build();

		private final HttpClient http = HttpClient.newHttpClient();

		private final WebSocket webSocket;

		private final AtomicLong received = new AtomicLong();

		private StringBuilder parts;

		long quantities;

		RawJdkHttp(URI uri) {
			this.webSocket = this.http.newWebSocketBuilder().buildAsync(uri, this).join();
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			if (!last) {
				if (this.parts == null) {
					this.parts = new StringBuilder();
				}
				this.parts.append(data);
			}
			else {
				String text;
				if (this.parts != null) {
					text = this.parts.append(data).toString();
					this.parts = null;
				}
				else {
					text = data.toString();
				}
				Quote quote = JSON.readValue(text, Quote.class);
				this.quantities += quote.qty();
				this.received.incrementAndGet();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public long received() {
			return this.received.get();
		}

		@Override
		public void close() {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done")
				.orTimeout(5, TimeUnit.SECONDS)
				.exceptionally((ex) -> null)
				.join();
			this.webSocket.abort();
		}

	}

	/** The starter: a Spring Boot context with one client and one {@code @WsListener}. */
	final class Starter implements Inbound {

		private final ConfigurableApplicationContext context;

		private final AtomicLong received;

		Starter(URI uri, boolean jdkContainer, boolean pojo) {
			this(uri, Map.of(), jdkContainer, pojo);
		}

		Starter(URI uri, Map<String, Object> properties, boolean jdkContainer, boolean pojo) {
			Class<?> listener = pojo ? StarterApp.QuoteListenerConfig.class : StarterApp.TextListenerConfig.class;
			Class<?>[] sources = jdkContainer ? new Class<?>[] { listener, StarterApp.JdkContainer.class }
					: new Class<?>[] { listener };
			Map<String, Object> all = new java.util.HashMap<>(properties);
			all.put("ws.clients.feed.url", uri.toString());
			this.context = StarterApp.run(all, sources);
			this.received = pojo ? this.context.getBean(StarterApp.QuoteListener.class).received
					: this.context.getBean(StarterApp.TextListener.class).received;
		}

		WsClient client() {
			return this.context.getBean("feed", WsClient.class);
		}

		@Override
		public long received() {
			return this.received.get();
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

}
