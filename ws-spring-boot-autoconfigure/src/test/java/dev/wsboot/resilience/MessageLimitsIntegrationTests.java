package dev.wsboot.resilience;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-message-size} holds against messages built to exhaust the heap: the client
 * fails them with 1009 without ever holding much more than the limit.
 */
class MessageLimitsIntegrationTests {

	private static final long MB = 1024 * 1024;

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withPropertyValues("ws.clients.feed.auto-startup=false", "ws.clients.feed.ping-interval=0",
				"ws.clients.feed.max-message-size=1MB",
				"ws.clients.feed.reconnect.initial-delay=5s");

	@AfterEach
	void closeServer() {
		this.server.close();
	}

	@Test
	void fragmentedMessageOf64MegabytesIsFailedWith1009WithoutBeingBuffered() {
		AtomicLong written = new AtomicLong();
		this.server.recordPayloads(false).onConnect(ClientContexts.firstConnection((connection) -> {
			byte[] fragment = new byte[64 * 1024];
			try {
				connection.sendFrame(WsTestFrame.BINARY, false, 0, false, fragment);
				written.addAndGet(fragment.length);
				for (int i = 1; i < 1024; i++) {
					connection.sendFrame(WsTestFrame.CONTINUATION, i == 1023, 0, false, fragment);
					written.addAndGet(fragment.length);
				}
			}
			catch (UncheckedIOException ex) {
				// the client closed the connection: what it did not read was never sent
			}
		}));
		this.contextRunner.run((context) -> {
			long before = ClientContexts.usedHeap(true);
			context.getBean("feed", WsClient.class).connect();
			WsClientClosedEvent closed = context.getBean(RecordedEvents.class).awaitClosed();
			long growth = ClientContexts.usedHeap(false) - before;
			assertThat(closed.code()).isEqualTo(1009);
			assertThat(this.server.connections().get(0).awaitClose().closeCode()).isEqualTo(1009);
			assertThat(growth).as("heap growth").isLessThan(32 * MB);
			assertThat(written.get()).as("bytes the server could write").isLessThan(32 * MB);
		});
	}

	@Test
	void decompressionBombOf100MegabytesIsFailedWith1009WithoutBeingInflated() {
		this.server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate())
			.onConnect(ClientContexts.firstConnection((connection) -> connection.sendCompressedBomb(100 * 1024 * 1024)));
		this.contextRunner.withPropertyValues("ws.clients.feed.extensions=permessage-deflate").run((context) -> {
			long before = ClientContexts.usedHeap(true);
			context.getBean("feed", WsClient.class).connect();
			WsClientClosedEvent closed = context.getBean(RecordedEvents.class).awaitClosed();
			long growth = ClientContexts.usedHeap(false) - before;
			assertThat(closed.code()).isEqualTo(1009);
			assertThat(this.server.connections().get(0).awaitClose().closeCode()).isEqualTo(1009);
			assertThat(growth).as("heap growth").isLessThan(32 * MB);
		});
	}

	@Test
	void singleFrameLargerThanMaxMessageSizeIsFailedWith1009BeforeItIsRead() {
		AtomicLong written = new AtomicLong();
		this.server.recordPayloads(false).onConnect(ClientContexts.firstConnection((connection) -> {
			byte[] header = { (byte) 0x82, 127, 0, 0, 0, 0, 0x04, 0, 0, 0 };
			connection.sendRaw(header);
			byte[] chunk = new byte[64 * 1024];
			try {
				for (int i = 0; i < 1024; i++) {
					connection.sendRaw(chunk);
					written.addAndGet(chunk.length);
				}
			}
			catch (UncheckedIOException ex) {
				// the client closed the connection
			}
		}));
		this.contextRunner.run((context) -> {
			context.getBean("feed", WsClient.class).connect();
			WsClientClosedEvent closed = context.getBean(RecordedEvents.class).awaitClosed();
			assertThat(closed.code()).isEqualTo(1009);
			assertThat(this.server.connections().get(0).awaitClose().closeCode()).isEqualTo(1009);
			assertThat(written.get()).as("bytes the server could write").isLessThan(32 * MB);
		});
	}

}
