package dev.wsboot.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WsTestServer} on the byte level, with a bare-socket client.
 */
class RawProtocolTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	@BeforeEach
	void resetServer() {
		server.reset();
	}

	@Test
	void answersTheUpgradeWithTheRfcAcceptKey() throws IOException {
		try (RawClient client = new RawClient(server.port())) {
			String response = client.upgrade("/");
			assertThat(response).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
				.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
				.doesNotContain("Sec-WebSocket-Protocol")
				.doesNotContain("Sec-WebSocket-Extensions");
		}
	}

	@Test
	void aConnectionFoundAsSoonAsItIsAcceptedSendsOnlyAfterThe101() throws IOException {
		server.onConnect((connection) -> {
		});
		for (int i = 0; i < 50; i++) {
			try (RawClient client = new RawClient(server.port())) {
				client.out.write(RawClient.upgradeRequest("/").getBytes(StandardCharsets.ISO_8859_1));
				client.out.flush();
				server.awaitConnection().sendText("first " + i);
				assertThat(client.readHead()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
				assertThat(new String(client.readFrame().payload(), StandardCharsets.UTF_8)).isEqualTo("first " + i);
			}
		}
	}

	@Test
	void refusesRequestsThatAreNotUpgradesWith400() throws IOException {
		try (RawClient client = new RawClient(server.port())) {
			String response = client.request("GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
			assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Content-Length: 0\r\n");
			assertThat(client.in.read()).isEqualTo(-1);
		}
		assertThat(server.handshakes()).singleElement().extracting(WsTestHandshake::path).isEqualTo("/plain");
		assertThat(server.connections()).isEmpty();
	}

	@Test
	void refusesAnUnsupportedVersionWith426() throws IOException {
		try (RawClient client = new RawClient(server.port())) {
			String response = client
				.request("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
			assertThat(response).startsWith("HTTP/1.1 426 Upgrade Required\r\n")
				.contains("Sec-WebSocket-Version: 13\r\n");
		}
	}

	@Test
	void selectsSubprotocolsAndExtensionsThatWereNotOffered() throws IOException {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept()
			.withSubprotocol("never-offered")
			.withExtension("x-unknown; p=1")
			.withHeader("X-Test", "yes"));
		try (RawClient client = new RawClient(server.port())) {
			assertThat(client.upgrade("/")).contains("Sec-WebSocket-Protocol: never-offered\r\n")
				.contains("Sec-WebSocket-Extensions: x-unknown; p=1\r\n")
				.contains("X-Test: yes\r\n");
		}
	}

	@Test
	void droppingTheHandshakeClosesWithoutResponse() throws IOException {
		server.handshake((handshake) -> WsTestHandshakeResponse.drop());
		try (RawClient client = new RawClient(server.port())) {
			assertThat(client.upgrade("/")).isEmpty();
		}
	}

	@Test
	void sendsFramesExactlyAsScriptedIncludingViolations() throws IOException {
		byte[] payload = "masked by the server".getBytes(StandardCharsets.UTF_8);
		byte[] halfFrame = { (byte) 0x82, 0x7F, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF };
		server.onConnect((connection) -> {
			connection.sendFrame(0x3, false, 5, true, payload);
			connection.sendFrame(WsTestFrame.PING, true, 0, false, new byte[200]);
			connection.sendRaw(halfFrame);
		});
		try (RawClient client = new RawClient(server.port())) {
			client.upgrade("/");
			RawClient.Frame first = client.readFrame();
			assertThat(first.header().opcode()).isEqualTo(3);
			assertThat(first.header().fin()).isFalse();
			assertThat(first.header().rsv()).isEqualTo(5);
			assertThat(first.header().masked()).isTrue();
			assertThat(first.payload()).isEqualTo(payload);
			RawClient.Frame oversizedPing = client.readFrame();
			assertThat(oversizedPing.header().opcode()).isEqualTo(WsTestFrame.PING);
			assertThat(oversizedPing.payload()).hasSize(200);
			assertThat(client.in.readNBytes(halfFrame.length)).isEqualTo(halfFrame);
		}
	}

	@Test
	void encodesAndDecodesAllPayloadLengthForms() throws IOException {
		for (long length : new long[] { 0, 125, 126, 65535, 65536, Long.MAX_VALUE }) {
			byte[] maskKey = { 1, 2, 3, 4 };
			byte[] header = FrameCodec.encodeHeader(WsTestFrame.BINARY, true, 0, length, maskKey);
			int expectedSize = 2 + ((length < 126) ? 0 : (length <= 65535) ? 2 : 8) + 4;
			assertThat(header).hasSize(expectedSize);
			FrameCodec.Header decoded = FrameCodec.readHeader(new java.io.ByteArrayInputStream(header));
			assertThat(decoded.length()).isEqualTo(length);
			assertThat(decoded.maskKey()).isEqualTo(maskKey);
		}
	}

	@Test
	void inflatesCompressedClientMessagesAndCompressesReplies() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		String text = "compress me, compress me, compress me, compress me";
		byte[] compressed = deflate(text.getBytes(StandardCharsets.UTF_8));
		try (RawClient client = new RawClient(server.port())) {
			assertThat(client.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate")).contains(
					"Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover");
			// one message in two fragments: RSV1 on the first only
			int half = compressed.length / 2;
			client.sendMasked(WsTestFrame.TEXT, false, 4, Arrays.copyOfRange(compressed, 0, half));
			client.sendMasked(WsTestFrame.CONTINUATION, true, 0,
					Arrays.copyOfRange(compressed, half, compressed.length));
			WsTestConnection connection = server.awaitConnection();
			assertThat(connection.awaitTexts(1)).containsExactly(text);
			assertThat(connection.frames().get(0).rsv()).isEqualTo(4);
			assertThat(connection.frames().get(0).size()).isEqualTo(half);
			assertThat(connection.handshake().offersExtension("permessage-deflate")).isTrue();
			// the default echo compresses the reply
			RawClient.Frame reply = client.readFrame();
			assertThat(reply.header().rsv()).isEqualTo(4);
			assertThat(reply.header().masked()).isFalse();
			assertThat(new String(inflate(reply.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
		}
	}

	@Test
	void compressesAndInflatesMessagesRoundTrip() throws IOException {
		byte[] data = "a message that compresses well: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			.getBytes(StandardCharsets.UTF_8);
		byte[] compressed = PerMessageDeflate.compress(data);
		assertThat(compressed.length).isLessThan(data.length);
		assertThat(Arrays.copyOfRange(compressed, compressed.length - 4, compressed.length))
			.isNotEqualTo(new byte[] { 0, 0, (byte) 0xFF, (byte) 0xFF });
		InboundMessage message = new InboundMessage(false, true, 1024);
		message.append(compressed, 0, compressed.length);
		assertThat(message.finish()).isEqualTo(data);
		assertThat(message.size()).isEqualTo(data.length);
	}

	@Test
	void compressedBombInflatesToTheRequestedSize() throws Exception {
		int inflatedSize = 20 * 1024 * 1024;
		byte[] bomb = PerMessageDeflate.compressZeros(inflatedSize);
		assertThat(bomb.length).isLessThan(inflatedSize / 500);
		InboundMessage message = new InboundMessage(false, true, 16);
		message.append(bomb, 0, bomb.length);
		byte[] kept = message.finish();
		assertThat(message.size()).isEqualTo(inflatedSize);
		assertThat(kept).hasSize(16).containsOnly(0);
	}

	@Test
	void sendsACompressedBombToTheClient() throws Exception {
		server.onConnect((connection) -> connection.sendCompressedBomb(5 * 1024 * 1024));
		try (RawClient client = new RawClient(server.port())) {
			client.upgrade("/");
			RawClient.Frame bomb = client.readFrame();
			assertThat(bomb.header().opcode()).isEqualTo(WsTestFrame.BINARY);
			assertThat(bomb.header().rsv()).isEqualTo(4);
			assertThat(inflate(bomb.payload())).hasSize(5 * 1024 * 1024);
		}
	}

	@Test
	void stopReadingLeavesTheConnectionOpenButUnanswered() throws Exception {
		CountDownLatch stopped = new CountDownLatch(1);
		server.onConnect((connection) -> {
			connection.stopReading();
			stopped.countDown();
		});
		try (RawClient client = new RawClient(server.port())) {
			client.upgrade("/");
			WsTestConnection connection = server.awaitConnection();
			assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
			client.sendMasked(WsTestFrame.PING, true, 0, new byte[] { 1 });
			client.sendMasked(WsTestFrame.TEXT, true, 0, "ignored".getBytes(StandardCharsets.UTF_8));
			// a half-open peer: no pong and no echo arrive, yet TCP stays open
			client.socket.setSoTimeout(500);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(client.in::read);
			assertThat(connection.isOpen()).isTrue();
			assertThat(connection.frames()).isEmpty();
			assertThat(connection.receivedMessages()).isZero();
			connection.dropTcp();
			client.socket.setSoTimeout(10_000);
			assertThat(client.in.read()).isEqualTo(-1);
		}
	}

	private static byte[] deflate(byte[] data) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		deflater.setInput(data);
		byte[] buffer = new byte[1024];
		int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
		deflater.end();
		return Arrays.copyOf(buffer, length - 4);
	}

	private static byte[] inflate(byte[] compressed) throws DataFormatException {
		Inflater inflater = new Inflater(true);
		byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
		input[input.length - 2] = (byte) 0xFF;
		input[input.length - 1] = (byte) 0xFF;
		inflater.setInput(input);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		int count;
		while ((count = inflater.inflate(buffer)) > 0) {
			out.write(buffer, 0, count);
		}
		inflater.end();
		return out.toByteArray();
	}

}
