package dev.wsboot.transport.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames a server writes in the same TCP write as its {@code 101} response (the "tail" of
 * the upgrade) must all arrive, in order, on the default transport. The {@code jdk}
 * transport loses some of them now and then (a JDK race, see docs/transports.md
 * "Differences of the jdk transport"), which is why this is not part of the transport
 * contract.
 */
class TyrusUpgradeTailIntegrationTests {

	/** About 100 KiB right behind the 101: more than several 16 KiB read buffers. */
	private static final int MESSAGES = 1000;

	private static final int CONNECTIONS = 20;

	private final WsTransport transport = new TyrusWsTransport();

	private final UpgradeTailServer server = new UpgradeTailServer(MESSAGES);

	@AfterEach
	void close() {
		this.transport.close();
		this.server.close();
	}

	@Test
	void framesWrittenTogetherWithThe101ResponseAllArriveInOrder() throws Exception {
		for (int attempt = 0; attempt < CONNECTIONS; attempt++) {
			CollectingHandler handler = new CollectingHandler();
			WsConnectRequest request = new WsConnectRequest(this.server.url(), List.of(), List.of(), Map.of(),
					Duration.ofSeconds(10), 1024 * 1024, null, null);
			WsConnection connection = this.transport.connect(request, handler).get(10, TimeUnit.SECONDS);
			try {
				String outcome = handler.outcome.get(20, TimeUnit.SECONDS);
				assertThat(outcome).as("connection %d", attempt).isEqualTo("all " + MESSAGES + " in order");
			}
			finally {
				connection.abort();
			}
		}
	}

	static String message(int index) {
		return String.format("%09d", index) + "x".repeat(90);
	}

	/**
	 * Answers every handshake with one write holding the 101 response and all messages.
	 */
	static final class UpgradeTailServer implements AutoCloseable {

		private final ServerSocket serverSocket;

		private final byte[] frames;

		UpgradeTailServer(int messages) {
			try {
				this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot listen on loopback", ex);
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			for (int i = 0; i < messages; i++) {
				byte[] payload = message(i).getBytes(StandardCharsets.US_ASCII);
				out.write(0x81);
				out.write(payload.length);
				out.writeBytes(payload);
			}
			this.frames = out.toByteArray();
			Thread acceptor = new Thread(this::accept, "upgrade-tail-server");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		URI url() {
			return URI.create("ws://127.0.0.1:" + this.serverSocket.getLocalPort() + "/");
		}

		private void accept() {
			while (!this.serverSocket.isClosed()) {
				try {
					Socket socket = this.serverSocket.accept();
					Thread connection = new Thread(() -> serve(socket), "upgrade-tail-connection");
					connection.setDaemon(true);
					connection.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private void serve(Socket socket) {
			try (socket) {
				InputStream in = socket.getInputStream();
				String key = readKey(in);
				String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
				ByteArrayOutputStream response = new ByteArrayOutputStream();
				response.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
				response.writeBytes(this.frames);
				OutputStream out = socket.getOutputStream();
				out.write(response.toByteArray());
				out.flush();
				while (in.read() != -1) {
					// keep the connection until the client drops it
				}
			}
			catch (IOException ex) {
				// the client went away
			}
		}

		private static String readKey(InputStream in) throws IOException {
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				int b = in.read();
				if (b == -1) {
					throw new IOException("Connection closed inside the handshake");
				}
				head.append((char) b);
			}
			for (String line : head.toString().split("\r\n")) {
				if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
					return line.substring(18).trim();
				}
			}
			throw new IOException("No Sec-WebSocket-Key in the handshake");
		}

		private static String accept(String key) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-1")
					.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
				return Base64.getEncoder().encodeToString(digest);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			try {
				this.serverSocket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

	}

	/**
	 * Completes its outcome when all messages arrived, the first one is wrong or the
	 * connection closes early.
	 */
	static final class CollectingHandler implements WsConnectionHandler {

		final CompletableFuture<String> outcome = new CompletableFuture<>();

		private final List<String> received = new ArrayList<>();

		private final StringBuilder partial = new StringBuilder();

		@Override
		public void onOpen(WsConnection connection) {
		}

		@Override
		public void onText(String text, boolean last) {
			this.partial.append(text);
			if (!last) {
				return;
			}
			String expected = message(this.received.size());
			if (!expected.contentEquals(this.partial)) {
				this.outcome.complete("message " + this.received.size() + " was " + this.partial);
			}
			this.received.add(this.partial.toString());
			this.partial.setLength(0);
			if (this.received.size() == MESSAGES) {
				this.outcome.complete("all " + MESSAGES + " in order");
			}
		}

		@Override
		public void onBinary(ByteBuffer data, boolean last) {
			this.outcome.complete("unexpected binary message after " + this.received.size());
		}

		@Override
		public void onPong(ByteBuffer payload) {
		}

		@Override
		public void onClose(int code, String reason) {
			this.outcome.complete("closed " + code + " " + reason + " after " + this.received.size());
		}

	}

}
