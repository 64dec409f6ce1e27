package dev.wsboot.transport.tyrus;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How {@link PerMessageDeflate} negotiates with a real server over loopback: the offer, a
 * client window the JDK cannot compress with, invalid answers, and empty messages.
 */
class PerMessageDeflateIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final TyrusWsTransport transport = new TyrusWsTransport();

	private final List<String> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void resetServer() {
		server.reset();
	}

	@AfterEach
	void closeTransport() {
		this.transport.close();
	}

	@Test
	void offersClientMaxWindowBitsSoThatServersInsistingOnItNegotiate() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		WsConnection connection = connect();
		assertThat(connection.extensions()).containsExactly("permessage-deflate");
		String offer = server.awaitConnection().handshake().header("Sec-WebSocket-Extensions");
		assertThat(offer.replace(" ", "")).isEqualTo("permessage-deflate;client_max_window_bits");
	}

	@Test
	void aClientWindowBelow15BitsSendsUncompressedWhileInflatingWhatTheServerSends() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept()
			.withExtension("permessage-deflate; server_no_context_takeover; client_max_window_bits=10"));
		String text = "squeeze me ".repeat(100);
		server.onConnect((connection) -> {
			connection.sendFrame(WsTestFrame.TEXT, true, 4, false, deflate(text));
			connection.sendFrame(WsTestFrame.BINARY, true, 4, false, deflate(""));
			connection.sendFrame(WsTestFrame.TEXT, true, 4, false, deflate("after"));
		});
		WsConnection connection = connect();
		connection.sendText(text, true).get(10, TimeUnit.SECONDS);
		connection.sendBinary(ByteBuffer.allocate(0), true).get(10, TimeUnit.SECONDS);
		connection.sendText("next", true).get(10, TimeUnit.SECONDS);
		WsTestConnection serverSide = server.awaitConnection();
		serverSide.awaitReceivedMessages(3);
		List<WsTestFrame> frames = serverSide.frames().stream().filter((frame) -> !frame.isControl()).toList();
		assertThat(frames).extracting(WsTestFrame::rsv).containsExactly(0, 0, 0);
		assertThat(frames.get(0).text()).isEqualTo(text);
		assertThat(frames.get(1).size()).isZero();
		assertThat(frames.get(2).text()).isEqualTo("next");
		await().atMost(TIMEOUT).until(() -> this.received.size() >= 3);
		assertThat(this.received).containsExactly("text:" + text, "binary:0", "text:after");
	}

	@Test
	void emptyMessagesRoundTripCompressedInBothDirections() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		server.onConnect(WsTestConnection::echo);
		WsConnection connection = connect();
		connection.sendText("", true);
		connection.sendBinary(ByteBuffer.allocate(0), true);
		connection.sendText("a", false);
		connection.sendText("", true);
		connection.sendBinary(ByteBuffer.wrap(new byte[] { 7 }), true).get(10, TimeUnit.SECONDS);
		WsTestConnection serverSide = server.awaitConnection();
		serverSide.awaitReceivedMessages(4);
		assertThat(serverSide.frames()).filteredOn((frame) -> !frame.isControl() && !frame.isContinuation())
			.extracting(WsTestFrame::rsv)
			.containsOnly(4);
		await().atMost(TIMEOUT).until(() -> this.received.size() >= 4);
		assertThat(this.received).containsExactly("text:", "binary:0", "text:a", "binary:1");
	}

	@Test
	void withContextTakeoverAndASmallServerWindowEmptyMessagesLeaveBothStreamsIntact() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept()
			.withExtension("permessage-deflate; server_max_window_bits=10; client_max_window_bits=15"));
		// the server keeps its context: under 1 KB in all, every distance fits a 10-bit
		// window
		server.onConnect((connection) -> {
			Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
			connection.sendFrame(WsTestFrame.TEXT, true, 4, false, deflateMessage(deflater, "quote quote quote"));
			connection.sendFrame(WsTestFrame.BINARY, true, 4, false, deflateMessage(deflater, ""));
			connection.sendFrame(WsTestFrame.TEXT, true, 4, false, new byte[0]);
			byte[] fragmented = deflateMessage(deflater, "quote again, quote");
			connection.sendFrame(WsTestFrame.TEXT, false, 4, false, Arrays.copyOf(fragmented, 3));
			connection.sendFrame(WsTestFrame.CONTINUATION, true, 0, false,
					Arrays.copyOfRange(fragmented, 3, fragmented.length));
			connection.sendFrame(WsTestFrame.TEXT, true, 4, false, deflateMessage(deflater, "last quote"));
			deflater.end();
		});
		WsConnection connection = connect();
		connection.sendText("order order order", true);
		connection.sendText("", true);
		connection.sendBinary(ByteBuffer.allocate(0), true);
		connection.sendText("order", false);
		connection.sendText("", true);
		connection.sendText("order again", true).get(10, TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> this.received.size() >= 5);
		assertThat(this.received).containsExactly("text:quote quote quote", "binary:0", "text:",
				"text:quote again, quote", "text:last quote");
		WsTestConnection serverSide = server.awaitConnection();
		serverSide.awaitReceivedMessages(5);
		// what a server keeping the client's context inflates from the frames on the wire
		Inflater inflater = new Inflater(true);
		List<String> inflated = new ArrayList<>();
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		for (WsTestFrame frame : serverSide.frames()) {
			if (frame.isControl()) {
				continue;
			}
			assertThat(frame.rsv()).isEqualTo(frame.isContinuation() ? 0 : 4);
			message.write(frame.payload());
			if (frame.fin()) {
				message.write(new byte[] { 0x00, 0x00, (byte) 0xFF, (byte) 0xFF });
				inflater.setInput(message.toByteArray());
				byte[] buffer = new byte[4096];
				int count = inflater.inflate(buffer);
				assertThat(inflater.getRemaining()).isZero();
				inflated.add(new String(buffer, 0, count, StandardCharsets.UTF_8));
				message.reset();
			}
		}
		inflater.end();
		assertThat(inflated).containsExactly("order order order", "", "", "order", "order again");
		assertThat(this.received).doesNotContain("close:1007", "close:1002");
	}

	@Test
	void aResponseRepeatingAParameterFailsTheHandshakeNamingIt() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept()
			.withExtension("permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
		CompletableFuture<WsConnection> attempt = this.transport.connect(request(), new Recorder());
		await().atMost(TIMEOUT).until(attempt::isDone);
		assertThat(attempt).isCompletedExceptionally();
		Throwable failure = cause(attempt);
		assertThat(failure).isInstanceOf(WsHandshakeException.class)
			.hasMessageContaining("permessage-deflate with the parameter 'server_no_context_takeover' more than once");
		server.awaitConnection().awaitDisconnected();
	}

	@Test
	void aResponseWithAnUnknownParameterFailsTheHandshakeNamingIt() throws Exception {
		server.handshake(
				(handshake) -> WsTestHandshakeResponse.accept().withExtension("permessage-deflate; mux_level=3"));
		CompletableFuture<WsConnection> attempt = this.transport.connect(request(), new Recorder());
		await().atMost(TIMEOUT).until(attempt::isDone);
		assertThat(cause(attempt)).isInstanceOf(WsHandshakeException.class)
			.hasMessageContaining("an unknown parameter 'mux_level'");
	}

	private WsConnection connect() throws Exception {
		return this.transport.connect(request(), new Recorder()).get(10, TimeUnit.SECONDS);
	}

	private static WsConnectRequest request() {
		return new WsConnectRequest(server.url(), List.of(), List.of("permessage-deflate"), Map.of(),
				Duration.ofSeconds(5), 1024 * 1024, null);
	}

	private static Throwable cause(CompletableFuture<?> future) {
		try {
			future.get();
			throw new AssertionError("Expected a failure");
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** One message as a server without context takeover compresses it. */
	private static byte[] deflate(String text) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		try {
			return deflateMessage(deflater, text);
		}
		finally {
			deflater.end();
		}
	}

	/**
	 * One message as RFC 7692 compresses it with the deflater's context: sync flush, tail
	 * removed, an empty stored block ({@code 00}) when the deflater has nothing to add.
	 */
	private static byte[] deflateMessage(Deflater deflater, String text) {
		deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[4096];
		int count;
		do {
			count = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
			out.write(buffer, 0, count);
		}
		while (count == buffer.length);
		byte[] compressed = out.toByteArray();
		return (compressed.length == 0) ? new byte[] { 0x00 } : Arrays.copyOf(compressed, compressed.length - 4);
	}

	/** Records whole messages as {@code text:<text>} and {@code binary:<length>}. */
	private final class Recorder implements WsConnectionHandler {

		private final StringBuilder text = new StringBuilder();

		private int binary;

		@Override
		public void onOpen(WsConnection connection) {
		}

		@Override
		public void onText(String text, boolean last) {
			this.text.append(text);
			if (last) {
				PerMessageDeflateIntegrationTests.this.received.add("text:" + this.text);
				this.text.setLength(0);
			}
		}

		@Override
		public void onBinary(ByteBuffer data, boolean last) {
			this.binary += data.remaining();
			if (last) {
				PerMessageDeflateIntegrationTests.this.received.add("binary:" + this.binary);
				this.binary = 0;
			}
		}

		@Override
		public void onPong(ByteBuffer payload) {
		}

		@Override
		public void onClose(int code, String reason) {
			PerMessageDeflateIntegrationTests.this.received.add("close:" + code);
		}

	}

}
