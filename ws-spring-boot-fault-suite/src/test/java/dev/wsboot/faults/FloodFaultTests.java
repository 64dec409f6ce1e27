package dev.wsboot.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that streams 1 GiB of small text messages as fast as TCP takes them, into a
 * listener that keeps stalling, in a JVM with a 256 MB heap: the client reads only as
 * fast as the listener takes messages, so the heap holds a bounded window of the stream,
 * never the stream, and every message arrives once and in order.
 */
class FloodFaultTests {

	private static final int PAYLOAD = 256;

	private static final int FRAME = PAYLOAD + 4;

	private static final long MESSAGES = (1L << 30) / PAYLOAD;

	private static final int FRAMES_PER_WRITE = 256;

	/** The listener stalls for 20 ms once every this many messages: 64 stalls in all. */
	private static final long STALL_EVERY = 1 << 16;

	@ParameterizedTest(name = "transport {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	@Timeout(value = 3, unit = TimeUnit.MINUTES)
	void oneGibibyteIntoAStallingListenerPassesThroughABoundedHeapInOrder(String transport) {
		AtomicLong written = new AtomicLong();
		SlowListener listener = new SlowListener(written);
		try (WsTestServer server = WsTestServer.start()) {
			server.recordPayloads(false).onConnect((connection) -> flood(connection, written));
			FaultApps.runner()
				.withBean(SlowListener.class, () -> listener)
				.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"),
						"ws.clients.feed.transport=" + transport, "ws.clients.feed.auto-startup=false")
				.run((context) -> {
					long before = HeapWatch.retainedNow();
					long start = System.nanoTime();
					try (HeapWatch heap = HeapWatch.start()) {
						context.getBean("feed", dev.wsboot.client.WsClient.class).connect();
						await().atMost(Duration.ofMinutes(2))
							.pollInterval(Duration.ofMillis(50))
							.until(() -> listener.received.get() == MESSAGES || listener.error.get() != null);
						Duration took = Duration.ofNanos(System.nanoTime() - start);
						assertThat(listener.error.get()).isNull();
						assertThat(listener.received.get()).isEqualTo(MESSAGES);
						assertThat(context.getBean(ClientEvents.class).closed("feed")).isEmpty();
						long retainedAfter = HeapWatch.retainedNow();
						// what the client holds: the hand-off (a budget and
						// its overflow) and socket buffers, not the flood
						assertThat(listener.maxLagBytes.get()).as("bytes written, not yet taken by the listener")
							.isLessThan(16 * HeapWatch.MB);
						// an upper bound, old garbage included: up to 19 MB
						// on JDK 17; on JDK 25 13-16 MB alone, 35-71 MB
						// after the rest of the suite (the flood: 4 heaps)
						assertThat(heap.maxAfterCollection()).as("heap in use after any collection")
							.isLessThan(HeapWatch.maxHeap() / 2);
						assertThat(retainedAfter - before).as("heap retained after the flood")
							.isLessThan(32 * HeapWatch.MB);
						String test = "flood: 1 GiB of 256-byte texts, listener stalls 20 ms every 65,536, -Xmx256m";
						FaultReport.add(test, transport, "delivered in order",
								String.format("%,d messages in %s (%.0f MB/s)", MESSAGES, FaultReport.ms(took),
										(MESSAGES * PAYLOAD) / (took.toNanos() / 1e9) / HeapWatch.MB));
						FaultReport.add(test, transport,
								"most heap in use after a GC (of " + FaultReport.mb(HeapWatch.maxHeap()) + ")",
								FaultReport.mb(heap.maxAfterCollection()) + " over " + heap.collections() + " GCs");
						FaultReport.add(test, transport,
								"most bytes written by the server, not yet taken by the listener",
								FaultReport.mb(listener.maxLagBytes.get()) + " (socket buffers + hand-off)");
					}
				});
		}
	}

	/**
	 * Write {@link #MESSAGES} text frames numbered from 0, {@link #FRAMES_PER_WRITE} per
	 * socket write; a write blocks while the client does not read.
	 */
	private static void flood(WsTestConnection connection, AtomicLong written) {
		byte[] batch = new byte[FRAMES_PER_WRITE * FRAME];
		for (int i = 0; i < FRAMES_PER_WRITE; i++) {
			int offset = i * FRAME;
			batch[offset] = (byte) 0x81;
			batch[offset + 1] = 126;
			batch[offset + 2] = (byte) (PAYLOAD >> 8);
			batch[offset + 3] = (byte) PAYLOAD;
			Arrays.fill(batch, offset + 4, offset + FRAME, (byte) 'x');
		}
		for (long first = 0; first < MESSAGES; first += FRAMES_PER_WRITE) {
			for (int i = 0; i < FRAMES_PER_WRITE; i++) {
				byte[] number = String.format("%012d", first + i).getBytes(StandardCharsets.US_ASCII);
				System.arraycopy(number, 0, batch, i * FRAME + 4, number.length);
			}
			connection.sendRaw(batch);
			written.addAndGet(FRAMES_PER_WRITE);
		}
	}

	/**
	 * Checks that message numbers come in order, and stalls now and then like a listener
	 * waiting on a database.
	 */
	static final class SlowListener {

		final AtomicLong received = new AtomicLong();

		final AtomicReference<String> error = new AtomicReference<>();

		final AtomicLong maxLagBytes = new AtomicLong();

		private final AtomicLong written;

		SlowListener(AtomicLong written) {
			this.written = written;
		}

		@WsListener("feed")
		void onText(String text) {
			long expected = this.received.get();
			long number = Long.parseLong(text, 0, 12, 10);
			if (number != expected || text.length() != PAYLOAD) {
				this.error.compareAndSet(null, "expected message " + expected + " but got " + text.substring(0, 12));
			}
			long received = this.received.incrementAndGet();
			if (received % 1024 == 0) {
				this.maxLagBytes.accumulateAndGet((this.written.get() - received) * FRAME, Math::max);
			}
			if (received % STALL_EVERY == 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			}
		}

	}

}
