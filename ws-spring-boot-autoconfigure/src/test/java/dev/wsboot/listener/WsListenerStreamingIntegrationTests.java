package dev.wsboot.listener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partial listeners over a real socket: a 20 MB message streamed in 64 KB fragments
 * reaches them fragment by fragment without the client holding the message, and text
 * fragments are whole characters even where the frames split a UTF-8 sequence.
 * <p>
 * The server writes the message frame by frame, so neither side of the socket ever holds
 * it whole; the heap is measured after a full GC and compared with a baseline taken
 * before.
 */
class WsListenerStreamingIntegrationTests {

	private static final int FRAGMENT = 64 * 1024;

	private static final int FRAGMENTS = 320;

	private static final long MESSAGE = (long) FRAGMENT * FRAGMENTS;

	private static final long RETAINED_LIMIT = 8 * Heap.MB;

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"), "ws.clients.feed.max-message-size=32MB",
				"ws.clients.feed.ping-interval=0");

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@ParameterizedTest(name = "on {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void streamsA20MbBinaryMessageToAPartialListenerWithoutAssemblingIt(String transport) {
		server.onConnect((connection) -> {
		}).recordPayloads(false);
		this.contextRunner.withPropertyValues("ws.clients.feed.transport=" + transport)
			.withUserConfiguration(BinaryStream.class)
			.run((context) -> {
				BinaryStream stream = context.getBean(BinaryStream.class);
				WsTestConnection connection = openConnection(context.getBean("feed", WsClient.class));
				byte[] fragment = fragment((byte) 'x');
				long baseline = Heap.retained();
				CRC32 sent = new CRC32();
				long grownMidway = 0;
				for (int i = 0; i < FRAGMENTS; i++) {
					connection.sendFrame((i == 0) ? WsTestFrame.BINARY : WsTestFrame.CONTINUATION, i == FRAGMENTS - 1,
							0, false, fragment);
					sent.update(fragment);
					if (i == FRAGMENTS / 2) {
						long expected = (long) (i + 1) * FRAGMENT;
						await().atMost(Duration.ofSeconds(10)).until(() -> stream.bytes.get() == expected);
						grownMidway = Heap.retained() - baseline;
					}
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> stream.lastSeen.get());
				assertThat(stream.bytes).hasValue(MESSAGE);
				assertThat(stream.crc.getValue()).isEqualTo(sent.getValue());
				assertThat(stream.fragments).hasValueGreaterThan(1);
				assertThat(stream.lastBeforeEnd).isFalse();
				assertThat(grownMidway).as("heap retained halfway through the message (bytes)")
					.isLessThan(RETAINED_LIMIT);
				assertThat(context.getBean("feed", WsClient.class).isOpen()).isTrue();
			});
	}

	@ParameterizedTest(name = "on {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void streamsA20MbTextMessageToAPartialListenerWithoutAssemblingIt(String transport) {
		server.onConnect((connection) -> {
		}).recordPayloads(false);
		this.contextRunner.withPropertyValues("ws.clients.feed.transport=" + transport)
			.withUserConfiguration(TextStream.class)
			.run((context) -> {
				TextStream stream = context.getBean(TextStream.class);
				WsTestConnection connection = openConnection(context.getBean("feed", WsClient.class));
				byte[] fragment = fragment((byte) 'y');
				long baseline = Heap.retained();
				long grownMidway = 0;
				for (int i = 0; i < FRAGMENTS; i++) {
					connection.sendFrame((i == 0) ? WsTestFrame.TEXT : WsTestFrame.CONTINUATION, i == FRAGMENTS - 1, 0,
							false, fragment);
					if (i == FRAGMENTS / 2) {
						long expected = (long) (i + 1) * FRAGMENT;
						await().atMost(Duration.ofSeconds(10)).until(() -> stream.chars.get() == expected);
						grownMidway = Heap.retained() - baseline;
					}
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> stream.lastSeen.get());
				assertThat(stream.chars).hasValue(MESSAGE);
				assertThat(stream.onlyY).isTrue();
				assertThat(grownMidway).as("heap retained halfway through the message (bytes)")
					.isLessThan(RETAINED_LIMIT);
			});
	}

	@ParameterizedTest(name = "on {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void aStalledPartialListenerPausesReadingInsteadOfBufferingTheRestOfTheMessage(String transport) {
		server.onConnect((connection) -> {
		}).recordPayloads(false);
		this.contextRunner.withPropertyValues("ws.clients.feed.transport=" + transport)
			.withUserConfiguration(StallingBinaryStream.class)
			.run((context) -> {
				StallingBinaryStream stream = context.getBean(StallingBinaryStream.class);
				WsTestConnection connection = openConnection(context.getBean("feed", WsClient.class));
				byte[] fragment = fragment((byte) 'z');
				long baseline = Heap.retained();
				AtomicInteger written = new AtomicInteger();
				Thread writer = new Thread(() -> {
					for (int i = 0; i < FRAGMENTS; i++) {
						connection.sendFrame((i == 0) ? WsTestFrame.BINARY : WsTestFrame.CONTINUATION,
								i == FRAGMENTS - 1, 0, false, fragment);
						written.incrementAndGet();
					}
				}, "stalled-stream-writer");
				writer.setDaemon(true);
				writer.start();
				try {
					assertThat(stream.stalled.await(10, TimeUnit.SECONDS)).isTrue();
					awaitNoProgress(written);
					long grown = Heap.retained() - baseline;
					assertThat(grown)
						.as("heap retained while the listener is stalled (written %d of %d fragments)", written.get(),
								FRAGMENTS)
						.isLessThan(RETAINED_LIMIT);
				}
				finally {
					stream.gate.countDown();
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> stream.bytes.get() == MESSAGE);
				writer.join(10_000);
			});
	}

	@ParameterizedTest(name = "on {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void textFragmentsNeverSplitAUtf8Sequence(String transport) {
		StringBuilder builder = new StringBuilder();
		for (int i = 0; builder.length() < 20_000; i++) {
			builder.append("a\u00e9\u20ac\uD83D\uDE00").append(i);
		}
		String text = builder.toString();
		server.onConnect((connection) -> {
			// 7-byte frames cut through 2-, 3- and 4-byte sequences
			connection.sendFragmentedText(text, 7);
			connection.sendFragmentedText(text, 1);
		});
		this.contextRunner.withPropertyValues("ws.clients.feed.transport=" + transport)
			.withUserConfiguration(TextParts.class)
			.run((context) -> {
				TextParts parts = context.getBean(TextParts.class);
				List<List<String>> messages = parts.messages.await(2);
				for (List<String> fragments : messages) {
					assertThat(fragments).hasSizeGreaterThan(100);
					assertThat(String.join("", fragments)).isEqualTo(text);
					for (String fragment : fragments) {
						assertThat(fragment).doesNotContain("\uFFFD");
						assertThat(fragment.isEmpty() || !Character.isLowSurrogate(fragment.charAt(0)))
							.as("fragment %s starts with a low surrogate", fragment)
							.isTrue();
						assertThat(fragment.isEmpty()
								|| !Character.isHighSurrogate(fragment.charAt(fragment.length() - 1)))
							.as("fragment %s ends with a high surrogate", fragment)
							.isTrue();
					}
					byte[] reencoded = String.join("", fragments).getBytes(StandardCharsets.UTF_8);
					assertThat(reencoded).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
				}
			});
	}

	private static WsTestConnection openConnection(WsClient client) {
		WsTestConnection connection = server.awaitConnection();
		await().atMost(Duration.ofSeconds(10)).until(client::isOpen);
		return connection;
	}

	private static byte[] fragment(byte value) {
		byte[] fragment = new byte[FRAGMENT];
		for (int i = 0; i < fragment.length; i++) {
			fragment[i] = (i % 100 == 99) ? (byte) '\n' : value;
		}
		return fragment;
	}

	/**
	 * Wait until the writer finished or has made no progress for a while (TCP pushing
	 * back).
	 */
	private static void awaitNoProgress(AtomicInteger written) {
		AtomicLong previous = new AtomicLong(-1);
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
			int now = written.get();
			return now == FRAGMENTS || previous.getAndSet(now) == now;
		});
	}

	static class BinaryStream {

		final AtomicLong bytes = new AtomicLong();

		final AtomicInteger fragments = new AtomicInteger();

		final AtomicBoolean lastSeen = new AtomicBoolean();

		final AtomicBoolean lastBeforeEnd = new AtomicBoolean();

		final CRC32 crc = new CRC32();

		@WsListener(value = "feed", partial = true)
		void onPart(ByteBuffer part, boolean last) {
			this.fragments.incrementAndGet();
			int size = part.remaining();
			this.crc.update(part);
			long total = this.bytes.addAndGet(size);
			if (last) {
				this.lastBeforeEnd.set(total != MESSAGE);
				this.lastSeen.set(true);
			}
		}

	}

	static class TextStream {

		final AtomicLong chars = new AtomicLong();

		final AtomicBoolean onlyY = new AtomicBoolean(true);

		final AtomicBoolean lastSeen = new AtomicBoolean();

		@WsListener(value = "feed", partial = true)
		void onPart(String part, boolean last) {
			for (int i = 0; i < part.length(); i++) {
				char c = part.charAt(i);
				if (c != 'y' && c != '\n') {
					this.onlyY.set(false);
				}
			}
			this.chars.addAndGet(part.length());
			if (last) {
				this.lastSeen.set(true);
			}
		}

	}

	static class StallingBinaryStream {

		final AtomicLong bytes = new AtomicLong();

		final CountDownLatch stalled = new CountDownLatch(1);

		final CountDownLatch gate = new CountDownLatch(1);

		@WsListener(value = "feed", partial = true)
		void onPart(byte[] part, boolean last) throws InterruptedException {
			long total = this.bytes.addAndGet(part.length);
			if (total >= 2 * FRAGMENT && this.stalled.getCount() > 0) {
				this.stalled.countDown();
				this.gate.await(30, TimeUnit.SECONDS);
			}
		}

	}

	static class TextParts {

		final Inbox<List<String>> messages = new Inbox<>();

		private List<String> current = new ArrayList<>();

		@WsListener(value = "feed", partial = true)
		void onPart(String part, boolean last) {
			this.current.add(part);
			if (last) {
				this.messages.add(List.copyOf(this.current));
				this.current = new ArrayList<>();
			}
		}

	}

}
