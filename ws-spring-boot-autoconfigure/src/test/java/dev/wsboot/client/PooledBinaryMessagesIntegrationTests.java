package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Binary messages for {@code ByteBuffer} listeners travel in pooled buffers over a real
 * connection: every message arrives intact while buffers are reused, and a client with a
 * listener that may keep messages gets its own buffer per message.
 */
class PooledBinaryMessagesIntegrationTests {

	private static final int MESSAGES = 5000;

	private static final int SIZE = 1000;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.shutdown-timeout=1s", "ws.clients.feed.url=" + this.server.url("/feed"));

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void byteBufferListenersSeeEveryMessageIntactWhileBuffersAreReused() {
		this.server.onConnect(PooledBinaryMessagesIntegrationTests::sendNumberedMessages);
		Checker checker = new Checker();
		this.contextRunner.withBean(BufferListener.class, () -> new BufferListener(checker)).run((context) -> {
			await().atMost(TIMEOUT).until(() -> checker.received.get() == MESSAGES);
			assertThat(checker.corrupted).hasValue(0);
			BufferPool pool = context.getBean("feed", ManagedWsClient.class).bufferPool();
			// a buffer per message in flight (the flood fills the hand-off), reused once
			// given
			// back as far as the pool keeps them (256 KiB per class)
			assertThat(pool.created()).isPositive().isLessThan(MESSAGES);
		});
	}

	@Test
	void aListenerThatMayKeepMessagesTurnsPoolingOffForItsClient() {
		this.server.onConnect(PooledBinaryMessagesIntegrationTests::sendNumberedMessages);
		Checker checker = new Checker();
		this.contextRunner.withBean(BufferListener.class, () -> new BufferListener(checker))
			.withBean(MessageListener.class)
			.run((context) -> {
				await().atMost(TIMEOUT).until(() -> checker.received.get() == MESSAGES);
				assertThat(checker.corrupted).hasValue(0);
				assertThat(context.getBean("feed", ManagedWsClient.class).bufferPool().created()).isZero();
			});
	}

	private static void sendNumberedMessages(dev.wsboot.test.WsTestConnection connection) {
		for (int i = 0; i < MESSAGES; i++) {
			byte[] data = new byte[SIZE];
			ByteBuffer.wrap(data).putInt(i);
			for (int j = 4; j < SIZE; j++) {
				data[j] = (byte) i;
			}
			connection.sendBinary(data);
		}
	}

	static final class Checker {

		final AtomicInteger received = new AtomicInteger();

		final AtomicInteger corrupted = new AtomicInteger();

		void check(ByteBuffer data) {
			int sequence = data.getInt(data.position());
			boolean intact = sequence == this.received.get() && data.remaining() == SIZE;
			for (int j = 4; j < SIZE && intact; j++) {
				intact = data.get(data.position() + j) == (byte) sequence;
			}
			if (!intact) {
				this.corrupted.incrementAndGet();
			}
			this.received.incrementAndGet();
		}

	}

	static final class BufferListener {

		private final Checker checker;

		BufferListener(Checker checker) {
			this.checker = checker;
		}

		@WsListener("feed")
		void onBinary(ByteBuffer data) {
			this.checker.check(data);
		}

	}

	static final class MessageListener {

		@WsListener("feed")
		void onMessage(WsMessage message) {
		}

	}

}
