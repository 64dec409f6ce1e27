package dev.wsboot.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link WsTestServer} driven by the JDK's WebSocket client.
 */
class WsTestServerTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	@BeforeEach
	void resetServer() {
		server.reset();
	}

	@Test
	void echoesTextAndBinaryMessages() {
		TestClient client = TestClient.connect(server.url("/echo"));
		client.send("hello");
		client.send(new byte[] { 1, 2, 3 });
		assertThat(client.nextText()).isEqualTo("hello");
		assertThat(client.nextBinary()).containsExactly(1, 2, 3);
		WsTestConnection connection = server.awaitConnection();
		assertThat(connection.awaitTexts(1)).containsExactly("hello");
		assertThat(connection.awaitBinaries(1)).singleElement().isEqualTo(new byte[] { 1, 2, 3 });
		assertThat(connection.receivedMessages()).isEqualTo(2);
		assertThat(connection.receivedBytes()).isEqualTo(8);
	}

	@Test
	void sendsFragmentedTextThatTheClientReassembles() {
		String text = "héllo wörld, 3 € each";
		server.onConnect((connection) -> connection.sendFragmentedText(text, 3));
		TestClient client = TestClient.connect(server.url());
		assertThat(client.nextText()).isEqualTo(text);
		assertThat(client.textParts).hasSizeGreaterThan(1);
	}

	@Test
	void sendsFragmentedBinaryThatTheClientReassembles() {
		byte[] data = new byte[1000];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) i;
		}
		server.onConnect((connection) -> connection.sendFragmentedBinary(data, 300));
		TestClient client = TestClient.connect(server.url());
		assertThat(client.nextBinary()).isEqualTo(data);
	}

	@Test
	void refusedHandshakeReachesTheClientWithStatusAndHeaders() {
		server.handshake((handshake) -> WsTestHandshakeResponse.refuse(503).withHeader("Retry-After", "7"));
		assertThatThrownBy(() -> TestClient.connect(server.url("/busy"))).cause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class, (ex) -> {
				assertThat(ex.getResponse().statusCode()).isEqualTo(503);
				assertThat(ex.getResponse().headers().firstValue("Retry-After")).hasValue("7");
			});
		assertThat(server.handshakes()).singleElement().extracting(WsTestHandshake::path).isEqualTo("/busy");
		assertThat(server.connections()).isEmpty();
	}

	@Test
	void selectsTheOfferedSubprotocol() {
		server.handshake(
				(handshake) -> WsTestHandshakeResponse.accept().withSubprotocol(handshake.subprotocols().get(1)));
		TestClient client = TestClient.connect(server.url(), (builder) -> builder.subprotocols("v1.chat", "v2.chat"));
		assertThat(client.webSocket.getSubprotocol()).isEqualTo("v2.chat");
		assertThat(server.awaitConnection().handshake().subprotocols()).containsExactly("v1.chat", "v2.chat");
	}

	@Test
	void recordsHandshakePathQueryAndHeaders() {
		TestClient.connect(server.url("feed?symbol=ACME&depth=2"),
				(builder) -> builder.header("Authorization", "Bearer t0k3n"));
		WsTestHandshake handshake = server.awaitConnection().handshake();
		assertThat(handshake.path()).isEqualTo("/feed");
		assertThat(handshake.query()).isEqualTo("symbol=ACME&depth=2");
		assertThat(handshake.header("authorization")).isEqualTo("Bearer t0k3n");
		assertThat(handshake.headers().get("SEC-WEBSOCKET-VERSION")).containsExactly("13");
		assertThat(handshake.header("X-Missing")).isNull();
	}

	@Test
	void closeWithCode4000IsSeenByTheClientAndCompleted() throws Exception {
		server.onConnect((connection) -> connection.close(4000, "go away"));
		TestClient client = TestClient.connect(server.url());
		assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(new TestClient.Close(4000, "go away"));
		WsTestConnection connection = server.awaitConnection();
		assertThat(connection.awaitClose().closeCode()).isEqualTo(4000);
		connection.awaitDisconnected();
		assertThat(connection.isOpen()).isFalse();
	}

	@Test
	void answersTheClientsCloseFrameWithItsCode() throws Exception {
		TestClient client = TestClient.connect(server.url());
		client.webSocket.sendClose(4321, "bye").get(10, TimeUnit.SECONDS);
		assertThat(client.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(4321);
		WsTestConnection connection = server.awaitConnection();
		WsTestFrame close = connection.awaitClose();
		assertThat(close.closeCode()).isEqualTo(4321);
		assertThat(close.closeReason()).isEqualTo("bye");
		connection.awaitDisconnected();
	}

	@Test
	void droppedTcpIsSeenByTheClientAsAnAbruptClose() throws Exception {
		server.onConnect(WsTestConnection::dropTcp);
		TestClient client = TestClient.connect(server.url());
		// the JDK client reports a TCP close without close frame as 1006 (abnormal
		// closure)
		assertThat(client.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(1006);
		WsTestConnection connection = server.awaitConnection();
		connection.awaitDisconnected();
		assertThat(connection.frames()).noneMatch(WsTestFrame::isClose);
	}

	@Test
	void resetTcpIsSeenByTheClientAsAConnectionReset() throws Exception {
		server.onConnect(WsTestConnection::resetTcp);
		TestClient client = TestClient.connect(server.url());
		// typically "Connection reset", unlike the orderly 1006 closure of dropTcp()
		assertThat(client.error.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
		assertThat(client.closed).isNotDone();
	}

	@Test
	void recordsEveryClientFrameMaskedAndInOrder() {
		server.onConnect((connection) -> {
		});
		TestClient client = TestClient.connect(server.url());
		client.send("one");
		client.send(new byte[] { 7 });
		client.webSocket.sendPing(ByteBuffer.wrap(new byte[] { 9 })).join();
		WsTestConnection connection = server.awaitConnection();
		connection.awaitFrame(WsTestFrame::isPing);
		List<WsTestFrame> frames = connection.frames();
		assertThat(frames).extracting(WsTestFrame::opcode)
			.containsExactly(WsTestFrame.TEXT, WsTestFrame.BINARY, WsTestFrame.PING);
		assertThat(frames).allSatisfy((frame) -> {
			assertThat(frame.masked()).isTrue();
			assertThat(frame.fin()).isTrue();
			assertThat(frame.rsv()).isZero();
		});
		assertThat(frames.get(0).text()).isEqualTo("one");
		assertThat(frames.get(1).payload()).containsExactly(7);
		assertThat(frames.get(1).receivedNanos()).isGreaterThanOrEqualTo(frames.get(0).receivedNanos());
		assertThat(frames.get(2).receivedNanos()).isGreaterThanOrEqualTo(frames.get(1).receivedNanos());
	}

	@Test
	void answersPingsUntilToldToStop() throws Exception {
		TestClient client = TestClient.connect(server.url());
		WsTestConnection connection = server.awaitConnection();
		client.webSocket.sendPing(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8))).join();
		ByteBuffer pong = client.pongs.poll(10, TimeUnit.SECONDS);
		assertThat(pong).isEqualTo(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8)));
		connection.stopAnsweringPings();
		client.webSocket.sendPing(ByteBuffer.wrap("p2".getBytes(StandardCharsets.UTF_8))).join();
		client.send("after");
		// the echo is written after the ping was handled: had a pong been sent, it would
		// be here
		assertThat(client.nextText()).isEqualTo("after");
		assertThat(client.pongs).isEmpty();
		assertThat(connection.frames()).filteredOn(WsTestFrame::isPing).hasSize(2);
	}

	@Test
	void serverPingIsAnsweredByTheClient() {
		server.onConnect((connection) -> connection.sendPing(new byte[] { 4, 2 }));
		TestClient.connect(server.url());
		WsTestFrame pong = server.awaitConnection().awaitFrame(WsTestFrame::isPong);
		assertThat(pong.payload()).containsExactly(4, 2);
	}

	@Test
	void stopDropsConnectionsAndRestartListensOnTheSamePort() throws Exception {
		int port = server.port();
		TestClient first = TestClient.connect(server.url());
		WsTestConnection firstConnection = server.awaitConnection();
		server.stop();
		try {
			firstConnection.awaitDisconnected();
			assertThat(first.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(1006);
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port).close());
		}
		finally {
			server.restart();
		}
		assertThat(server.port()).isEqualTo(port);
		TestClient second = TestClient.connect(server.url());
		second.send("again");
		assertThat(second.nextText()).isEqualTo("again");
		assertThat(server.awaitConnection()).isNotSameAs(firstConnection);
		assertThat(server.connections()).hasSize(2);
	}

	@Test
	void stopGracefullyClosesEachConnectionWithTheCodeAndRecordsWhatArrivedBeforeTheClientsClose() throws Exception {
		int port = server.port();
		server.onConnect((connection) -> {
		});
		TestClient client = TestClient.connect(server.url());
		WsTestConnection connection = server.awaitConnection();
		client.send("before the close");
		connection.awaitTexts(1);
		server.stopGracefully(1012, "restarting");
		try {
			assertThat(client.closed.get(10, TimeUnit.SECONDS).code()).isEqualTo(1012);
			assertThat(connection.awaitClose().closeCode()).isEqualTo(1012);
			assertThat(connection.texts()).containsExactly("before the close");
			connection.awaitDisconnected();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port).close());
		}
		finally {
			server.restart();
		}
	}

	@Test
	void awaitFailsFastListingWhatWasReceivedWhenTheConnectionIsGone() throws Exception {
		server.onConnect((connection) -> {
		});
		TestClient client = TestClient.connect(server.url());
		client.send("only text");
		client.webSocket.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
		WsTestConnection connection = server.awaitConnection();
		connection.awaitDisconnected();
		long start = System.nanoTime();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> connection.awaitFrame(WsTestFrame::isBinary))
			.withMessageContaining("connection closed")
			.withMessageContaining("\"only text\"")
			.withMessageContaining("CLOSE fin masked size=6 code=1000");
		assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
	}

	@Test
	void countsMessagesWithoutRecordingPayloads() {
		server.recordPayloads(false).onConnect((connection) -> {
		});
		TestClient client = TestClient.connect(server.url());
		for (int i = 0; i < 500; i++) {
			client.send("message " + i);
		}
		client.webSocket.sendPing(ByteBuffer.allocate(0)).join();
		WsTestConnection connection = server.awaitConnection();
		connection.awaitReceivedMessages(500);
		connection.awaitFrame(WsTestFrame::isPing);
		assertThat(connection.receivedBytes()).isEqualTo(10 * 9 + 90 * 10 + 400 * 11);
		assertThat(connection.texts()).isEmpty();
		assertThat(connection.frames()).singleElement().matches(WsTestFrame::isPing);
	}

	@Test
	void recordsLargeFramesWithCappedPayloadAndFullSize() {
		server.onConnect((connection) -> {
		});
		byte[] data = new byte[3 * 1024 * 1024];
		data[data.length - 1] = 42;
		TestClient client = TestClient.connect(server.url());
		client.send(data);
		WsTestConnection connection = server.awaitConnection();
		byte[] message = connection.awaitBinaries(1).get(0);
		assertThat(message).hasSize(data.length);
		assertThat(message[data.length - 1]).isEqualTo((byte) 42);
		List<WsTestFrame> frames = connection.frames();
		assertThat(frames.stream().mapToLong(WsTestFrame::size).sum()).isEqualTo(data.length);
		assertThat(frames).anyMatch((frame) -> frame.size() > ConnectionReader.FRAME_RECORD_LIMIT);
		assertThat(frames).allSatisfy((frame) -> assertThat(frame.payload().length)
			.isEqualTo(Math.min(frame.size(), ConnectionReader.FRAME_RECORD_LIMIT)));
	}

	@Test
	void resetRestoresDefaultsAndForgetsConnections() {
		server.handshake((handshake) -> WsTestHandshakeResponse.refuse(401));
		assertThatThrownBy(() -> TestClient.connect(server.url())).isInstanceOf(IllegalStateException.class);
		server.reset();
		assertThat(server.handshakes()).isEmpty();
		TestClient client = TestClient.connect(server.url());
		client.send("echoed");
		assertThat(client.nextText()).isEqualTo("echoed");
		assertThat(server.connections()).hasSize(1);
	}

	@Test
	void bindsTheClientUrlToDynamicProperties() {
		Map<String, Supplier<Object>> properties = new HashMap<>();
		server.bindTo(properties::put, "quotes");
		server.bindTo(properties::put, "trades", "/trades?v=2");
		assertThat(properties.get("ws.clients.quotes.url").get()).isEqualTo(server.url().toString());
		assertThat(properties.get("ws.clients.trades.url").get())
			.isEqualTo("ws://127.0.0.1:" + server.port() + "/trades?v=2");
	}

}
