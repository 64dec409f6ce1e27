package dev.wsboot.resilience;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-message-size} holds against a frame that announces more than the limit: the
 * client fails it with 1009 before reading it. Endless fragmented messages and
 * decompression bombs, on both transports and with a bounded heap, are in the fault suite
 * ({@code ws-spring-boot-fault-suite}, {@code OversizeFaultTests}).
 */
class MessageLimitsIntegrationTests {

	private static final long MB = 1024 * 1024;

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = ClientContexts.feed(this.server)
		.withPropertyValues("ws.clients.feed.auto-startup=false", "ws.clients.feed.ping-interval=0",
				"ws.clients.feed.max-message-size=1MB", "ws.clients.feed.reconnect.initial-delay=5s");

	@AfterEach
	void closeServer() {
		this.server.close();
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
