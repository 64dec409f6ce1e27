package dev.wsboot.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

import org.springframework.context.ConfigurableApplicationContext;

import dev.wsboot.client.WsClient;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

/**
 * One sending client of the outbound benchmark: every {@link #send()} issues one 64-byte
 * text message, with at most {@link #IN_FLIGHT} sent but not yet completed.
 */
public interface Outbound extends AutoCloseable {

	/** Messages handed over but not completed, at most. */
	int IN_FLIGHT = 64;

	/** Send the next message, waiting while {@link #IN_FLIGHT} are not completed. */
	void send() throws Exception;

	@Override
	void close();

	static Outbound open(String kind, URI uri) throws Exception {
		return switch (kind) {
			case "serverHeadroom" -> new RawSocket(uri);
			case "rawTyrusGrizzly" -> new RawTyrus(TyrusWsTransport.GRIZZLY_CONTAINER, uri, 0);
			case "rawTyrusGrizzlyNoIdleTimer" -> new RawTyrus(TyrusWsTransport.GRIZZLY_CONTAINER, uri, -1);
			case "starterGrizzly" -> new Starter(uri);
			default -> throw new IllegalArgumentException(kind);
		};
	}

	/**
	 * The server's headroom: pre-built masked frames written to a buffered socket stream
	 * (the socket blocks when Jetty does not keep up).
	 */
	final class RawSocket implements Outbound {

		private final Socket socket;

		private final OutputStream out;

		private final byte[][] frames = new byte[1024][];

		private long sent;

		RawSocket(URI uri) throws IOException {
			this.socket = new Socket(uri.getHost(), uri.getPort());
			this.socket.setSendBufferSize(1 << 20);
			OutputStream raw = this.socket.getOutputStream();
			raw.write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			raw.flush();
			InputStream in = this.socket.getInputStream();
			int matched = 0;
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					throw new IOException("handshake failed");
				}
				matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			for (int i = 0; i < this.frames.length; i++) {
				byte[] payload = Messages.text(i).getBytes(StandardCharsets.UTF_8);
				byte[] frame = new byte[6 + payload.length];
				frame[0] = (byte) 0x81;
				frame[1] = (byte) (0x80 | payload.length);
				// mask key 0: the payload stays as it is
				System.arraycopy(payload, 0, frame, 6, payload.length);
				this.frames[i] = frame;
			}
			this.out = new BufferedOutputStream(raw, 64 * 1024);
		}

		@Override
		public void send() throws IOException {
			this.out.write(this.frames[(int) (this.sent++ & 1023)]);
		}

		@Override
		public void close() {
			try {
				this.out.flush();
				this.socket.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}

	}

	/**
	 * Raw Tyrus: {@code getAsyncRemote().sendText(text, handler)}, set up like the
	 * starter's transport.
	 */
	final class RawTyrus implements Outbound {

		private final ClientManager client;

		private final Session session;

		private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

		private final SendHandler completed = (result) -> this.inFlight.release();

		private long sent;

		RawTyrus(String container, URI uri, long idleTimeout) throws Exception {
			this.client = ClientManager.createClient(container);
			this.client.setDefaultMaxSessionIdleTimeout(idleTimeout);
			this.client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
			this.session = this.client.connectToServer(new Endpoint() {
				@Override
				public void onOpen(Session session, EndpointConfig config) {
				}
			}, ClientEndpointConfig.Builder.create().build(), uri);
		}

		@Override
		public void send() throws InterruptedException {
			this.inFlight.acquire();
			this.session.getAsyncRemote().sendText(Messages.text(this.sent++), this.completed);
		}

		@Override
		public void close() {
			try {
				this.inFlight.acquire(IN_FLIGHT);
				this.session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
			}
			catch (IOException | InterruptedException ex) {
				// ignore
			}
			this.client.shutdown();
		}

	}

	/**
	 * The starter: {@code WsClient.sendText} of a client bean from
	 * {@code ws.clients.sink.url}.
	 */
	final class Starter implements Outbound {

		private final ConfigurableApplicationContext context;

		private final WsClient client;

		private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

		private long sent;

		Starter(URI uri) throws InterruptedException {
			this.context = StarterApp.run(Map.of("ws.clients.sink.url", uri.toString()));
			this.client = this.context.getBean("sink", WsClient.class);
			Inbound.await(() -> this.client.isOpen() ? 1 : 0, 1, Duration.ofSeconds(30), "starter connect");
		}

		@Override
		public void send() throws InterruptedException {
			this.inFlight.acquire();
			this.client.sendText(Messages.text(this.sent++)).whenComplete((result, failure) -> this.inFlight.release());
		}

		@Override
		public void close() {
			try {
				this.inFlight.acquire(IN_FLIGHT);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.context.close();
		}

	}

}
