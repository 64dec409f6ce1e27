package dev.wsboot.resilience;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that breaks RFC 6455 (or the handshake) is failed with the close code the RFC
 * asks for, and the client reconnects. Pings and the idle deadline are off, so each
 * violation must be detected by itself, not by silence.
 */
class ProtocolViolationIntegrationTests {

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withPropertyValues("ws.clients.feed.ping-interval=0", "ws.clients.feed.reconnect.initial-delay=100ms");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void maskedFrameFromTheServerFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(WsTestFrame.TEXT, true, 0, true, bytes("masked")));
	}

	@Test
	void rsvBitsWithoutANegotiatedExtensionFailTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(WsTestFrame.TEXT, true, 4, false, bytes("rsv1")));
	}

	@Test
	void rsv2OrRsv3FailTheConnectionWith1002EvenWithPermessageDeflate() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		assertFailsWith(this.contextRunner.withPropertyValues("ws.clients.feed.extensions=permessage-deflate"), 1002,
				(connection) -> connection.sendFrame(WsTestFrame.BINARY, true, 2, false, new byte[] { 1 }));
	}

	@Test
	void rsv1OnAContinuationFrameFailsTheConnectionWith1002EvenWithPermessageDeflate() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		assertFailsWith(this.contextRunner.withPropertyValues("ws.clients.feed.extensions=permessage-deflate"), 1002,
				(connection) -> {
					connection.sendFrame(WsTestFrame.TEXT, false, 0, false, bytes("plain "));
					connection.sendFrame(WsTestFrame.CONTINUATION, true, 4, false, bytes("then compressed?"));
				});
	}

	@Test
	void unknownOpcodeFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(0x3, true, 0, false, bytes("reserved")));
	}

	@Test
	void unknownControlOpcodeFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(0xB, true, 0, false, new byte[0]));
	}

	@Test
	void fragmentedControlFrameFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(WsTestFrame.PING, false, 0, false, bytes("part")));
	}

	@Test
	void controlFrameLongerThan125BytesFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(WsTestFrame.PING, true, 0, false, new byte[126]));
	}

	@Test
	void continuationFrameWithoutAStartFailsTheConnectionWith1002() {
		assertFailsWith(1002,
				(connection) -> connection.sendFrame(WsTestFrame.CONTINUATION, true, 0, false, bytes("orphan")));
	}

	@Test
	void newMessageInsideAFragmentedOneFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> {
			connection.sendFrame(WsTestFrame.TEXT, false, 0, false, bytes("first half"));
			connection.sendFrame(WsTestFrame.TEXT, true, 0, false, bytes("interloper"));
		});
	}

	@Test
	void invalidUtf8InATextMessageFailsTheConnectionWith1007() {
		assertFailsWith(1007, (connection) -> connection.sendFrame(WsTestFrame.TEXT, true, 0, false,
				new byte[] { 'o', 'k', (byte) 0xC3, (byte) 0x28 }));
	}

	@Test
	void invalidUtf8SplitAcrossFragmentsFailsTheConnectionWith1007() {
		assertFailsWith(1007, (connection) -> {
			connection.sendFrame(WsTestFrame.TEXT, false, 0, false, new byte[] { 'a', (byte) 0xE2 });
			connection.sendFrame(WsTestFrame.CONTINUATION, true, 0, false, new byte[] { (byte) 0x28, (byte) 0xA1 });
		});
	}

	@Test
	void closeFrameWithAnInvalidCodeFailsTheConnectionWith1002() {
		assertFailsWith(1002, (connection) -> connection.sendFrame(WsTestFrame.CLOSE, true, 0, false,
				new byte[] { (byte) (999 >> 8), (byte) (999 & 0xFF) }));
	}

	@Test
	void closeFrameWithAOneBytePayloadFailsTheConnectionWith1002() {
		assertFailsWith(1002,
				(connection) -> connection.sendFrame(WsTestFrame.CLOSE, true, 0, false, new byte[] { 3 }));
	}

	@Test
	void frameHeaderAnnouncingTwoToThe63BytesFailsTheConnectionWith1009AtOnce() {
		assertFailsWith(1009, (connection) -> connection.sendRaw(new byte[] { (byte) 0x82, 127, 0x7F, (byte) 0xFF,
				(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF }));
	}

	@Test
	void frameHeaderWithTheMostSignificantLengthBitSetFailsTheConnectionWith1002() {
		assertFailsWith(1002,
				(connection) -> connection.sendRaw(new byte[] { (byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1 }));
	}

	@Test
	void closeFrameWithoutACodeIsReportedAs1005AndReconnects() {
		this.server.onConnect(ClientContexts.firstConnection(WsTestConnection::closeWithoutCode));
		this.contextRunner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			WsClientClosedEvent closed = events.awaitClosed();
			assertThat(closed.code()).isEqualTo(1005);
			assertThat(closed.willReconnect()).isTrue();
			events.awaitOpened(2);
		});
	}

	@Test
	void handshakeSelectingASubprotocolThatWasNotOfferedFailsTheAttempt() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withSubprotocol("evil.v1"));
		this.contextRunner.withPropertyValues("ws.clients.feed.subprotocols=v1.json").run((context) -> {
			assertHandshakeFailed(context.getBean(RecordedEvents.class), context.getBean("feed", WsClient.class),
					"evil.v1");
		});
	}

	@Test
	void handshakeSelectingAnExtensionThatWasNotOfferedFailsTheAttempt() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withExtension("x-evil; level=3"));
		this.contextRunner.run((context) -> {
			assertHandshakeFailed(context.getBean(RecordedEvents.class), context.getBean("feed", WsClient.class),
					"x-evil");
		});
	}

	@Test
	void handshakeSelectingPermessageDeflateThatWasNotOfferedFailsTheAttempt() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		this.contextRunner.run((context) -> {
			assertHandshakeFailed(context.getBean(RecordedEvents.class), context.getBean("feed", WsClient.class),
					"permessage-deflate");
		});
	}

	/**
	 * Tyrus's Grizzly container ignores a connection that closes before the upgrade
	 * response: the attempt fails at {@code connect-timeout}, not at once.
	 */
	@Test
	void handshakeDroppedByTheServerFailsTheAttemptAtTheLatestAfterTheConnectTimeout() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.drop());
		this.contextRunner.withPropertyValues("ws.clients.feed.connect-timeout=500ms").run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			long start = System.nanoTime();
			WsClientFailedEvent failed = events.awaitFailed();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(failed.cause()).isInstanceOf(TimeoutException.class);
			assertThat(failed.willRetry()).isTrue();
			assertThat(events.opened()).isEmpty();
		});
	}

	private void assertHandshakeFailed(RecordedEvents events, WsClient feed, String selected) {
		WsClientFailedEvent failed = events.awaitFailed();
		assertThat(failed.willRetry()).isTrue();
		assertThat(failed.cause()).isInstanceOf(WsHandshakeException.class).hasMessageContaining(selected);
		assertThat(events.opened()).isEmpty();
		assertThat(feed.state()).isNotEqualTo(WsClientState.OPEN);
		this.server.awaitConnection().awaitDisconnected();
	}

	/**
	 * The first connection runs the script, later ones echo: the client must fail the
	 * first with the given code (telling the server in its close frame) and reconnect.
	 */
	private void assertFailsWith(int code, Consumer<WsTestConnection> violation) {
		assertFailsWith(this.contextRunner, code, violation);
	}

	private void assertFailsWith(ApplicationContextRunner contextRunner, int code,
			Consumer<WsTestConnection> violation) {
		this.server.onConnect(ClientContexts.firstConnection(violation));
		contextRunner.run((context) -> assertFailedWith(context.getBean(RecordedEvents.class), code));
	}

	private void assertFailedWith(RecordedEvents events, int code) {
		WsClientClosedEvent closed = events.awaitClosed();
		assertThat(closed.code()).as("close code reported (%s)", closed.reason()).isEqualTo(code);
		assertThat(closed.willReconnect()).isTrue();
		WsTestConnection first = this.server.connections().get(0);
		assertThat(first.awaitClose().closeCode()).as("close code sent to the server").isEqualTo(code);
		first.awaitDisconnected();
		await().atMost(RecordedEvents.TIMEOUT).until(() -> events.opened().size() >= 2);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
