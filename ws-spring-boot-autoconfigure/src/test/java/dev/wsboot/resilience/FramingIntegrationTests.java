package dev.wsboot.resilience;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How messages go on the wire: fragmentation at {@code max-fragment-size} and
 * permessage-deflate in both directions.
 */
class FramingIntegrationTests {

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server);

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void largeMessagesGoOutAsFramesOfAtMostMaxFragmentSize() {
		String text = "Grüße aus Köln, 東京 and 🚀 ".repeat(300);
		byte[] binary = new byte[10_000];
		new Random(42).nextBytes(binary);
		this.contextRunner.withPropertyValues("ws.clients.feed.max-fragment-size=1KB").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			feed.sendText(text);
			feed.sendBinary(binary);
			feed.sendText("small").get();
			WsTestConnection connection = this.server.awaitConnection();
			assertThat(connection.awaitTexts(2)).containsExactly(text, "small");
			assertThat(connection.awaitBinaries(1).get(0)).isEqualTo(binary);
			List<WsTestFrame> frames = connection.frames().stream().filter((frame) -> !frame.isControl()).toList();
			assertThat(frames).allSatisfy((frame) -> assertThat(frame.size()).isLessThanOrEqualTo(1024));
			int textBytes = text.getBytes(StandardCharsets.UTF_8).length;
			assertThat(frames)
				.hasSizeGreaterThanOrEqualTo((textBytes + 1023) / 1024 + (binary.length + 1023) / 1024 + 1);
			assertThat(frames.get(0).opcode()).isEqualTo(WsTestFrame.TEXT);
			assertThat(frames.get(0).fin()).isFalse();
			assertThat(frames).filteredOn(WsTestFrame::isBinary)
				.singleElement()
				.satisfies((first) -> assertThat(first.fin()).isFalse());
			assertThat(frames.get(frames.size() - 1)).satisfies((last) -> {
				assertThat(last.isText()).isTrue();
				assertThat(last.fin()).isTrue();
			});
		});
	}

	@Test
	void permessageDeflateCompressesARoundTripInBothDirections() {
		String text = "{\"symbol\":\"ACME\",\"bid\":12.5,\"ask\":12.6}".repeat(100);
		Received received = new Received();
		deflating(received).run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
			assertThat(feed.extensions()).containsExactly("permessage-deflate");
			feed.sendText(text).get();
			feed.sendText(text).get();
			WsTestConnection connection = this.server.awaitConnection();
			assertThat(connection.handshake().offersExtension("permessage-deflate")).isTrue();
			assertThat(connection.awaitTexts(2)).containsExactly(text, text);
			assertThat(connection.frames()).filteredOn(WsTestFrame::isText).hasSize(2).allSatisfy((frame) -> {
				assertThat(frame.rsv()).as("RSV1").isEqualTo(4);
				assertThat(frame.size()).isLessThan(text.length() / 10);
			});
			await().atMost(RecordedEvents.TIMEOUT).until(() -> received.texts.size() == 2);
			assertThat(received.texts).containsExactly(text, text);
		});
	}

	@Test
	void permessageDeflateKeepsMessagesIntactWhileSendingAndReceivingAtOnce() {
		List<String> texts = IntStream.range(0, 300)
			.mapToObj((i) -> ("{\"seq\":" + i + ",\"symbol\":\"ACME\",\"bid\":12.5}").repeat(20 + i % 80))
			.toList();
		Received received = new Received();
		deflating(received).run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
			// the server echoes each message while the next ones are being compressed
			texts.forEach(feed::sendText);
			WsTestConnection connection = this.server.awaitConnection();
			assertThat(connection.awaitTexts(texts.size())).containsExactlyElementsOf(texts);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> received.texts.size() == texts.size());
			assertThat(received.texts).containsExactlyElementsOf(texts);
			assertThat(context.getBean(RecordedEvents.class).closed()).isEmpty();
		});
	}

	/**
	 * The client {@code feed} offering permessage-deflate to a server that accepts it.
	 */
	private ApplicationContextRunner deflating(Received received) {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		return this.contextRunner.withPropertyValues("ws.clients.feed.extensions=permessage-deflate")
			.withBean(Received.class, () -> received);
	}

	static final class Received {

		final List<String> texts = new CopyOnWriteArrayList<>();

		@WsListener("feed")
		void onText(String text) {
			this.texts.add(text);
		}

		@WsListener("feed")
		void onBinary(ByteBuffer data) {
		}

	}

}
