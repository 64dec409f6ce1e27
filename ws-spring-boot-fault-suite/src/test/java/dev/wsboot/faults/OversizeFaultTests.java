package dev.wsboot.faults;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages built to exhaust the heap, against {@code max-message-size: 1MB} in a JVM with
 * a 256 MB heap: an endless fragmented message and a decompression bomb are each failed
 * with 1009 after about the limit, and the client connects again.
 */
class OversizeFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int FRAGMENT = 64 * 1024;

	/** Where the endless message gives up if the client never stops it: 4 GiB. */
	private static final long ENDLESS = 4L << 30;

	@ParameterizedTest(name = "transport {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	@Timeout(value = 1, unit = TimeUnit.MINUTES)
	void endlessFragmentedMessageIsFailedWith1009AfterTheLimit(String transport) {
		AtomicLong written = new AtomicLong();
		try (WsTestServer server = WsTestServer.start()) {
			server.recordPayloads(false)
				.onConnect(firstConnectionOnly((connection) -> sendEndless(connection, written)));
			long heap = assertFailedWith1009AndReconnected(server, transport);
			assertThat(written.get()).as("bytes the server could write").isLessThan(32 * HeapWatch.MB);
			FaultReport.add("endless fragmented binary message (64 KiB frames), max-message-size 1MB", transport,
					"closed with 1009; bytes the server could write / most heap in use after a GC",
					FaultReport.mb(written.get()) + " / " + FaultReport.mb(heap));
		}
	}

	@Test
	@Timeout(value = 1, unit = TimeUnit.MINUTES)
	void decompressionBombOfOneGibibyteIsFailedWith1009WithoutBeingInflated() {
		try (WsTestServer server = WsTestServer.start()) {
			server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate())
				.onConnect(firstConnectionOnly((connection) -> connection.sendCompressedBomb(1 << 30)));
			long heap = assertFailedWith1009AndReconnected(server, "tyrus",
					"ws.clients.feed.extensions=permessage-deflate");
			FaultReport.add("decompression bomb: 1 GiB of zeros in one compressed frame, max-message-size 1MB", "tyrus",
					"closed with 1009; most heap in use after a GC", FaultReport.mb(heap));
		}
	}

	/**
	 * Run the application with client {@code feed}: its first connection must be failed
	 * with 1009 within a bounded heap, and it must connect again.
	 * @return the most heap in use after a collection while it ran
	 */
	private static long assertFailedWith1009AndReconnected(WsTestServer server, String transport,
			String... properties) {
		AtomicLong maxHeap = new AtomicLong();
		FaultApps.runner()
			.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"), "ws.clients.feed.transport=" + transport,
					"ws.clients.feed.auto-startup=false", "ws.clients.feed.max-message-size=1MB",
					"ws.clients.feed.reconnect.initial-delay=100ms")
			.withPropertyValues(properties)
			.run((context) -> {
				ClientEvents events = context.getBean(ClientEvents.class);
				long before = HeapWatch.retainedNow();
				try (HeapWatch heap = HeapWatch.start()) {
					context.getBean("feed", WsClient.class).connect();
					await().atMost(TIMEOUT).until(() -> !events.closed("feed").isEmpty());
					WsClientClosedEvent closed = events.closed("feed").get(0).as(WsClientClosedEvent.class);
					assertThat(closed.code()).isEqualTo(1009);
					assertThat(closed.willReconnect()).isTrue();
					// the jdk transport cannot send 1009 and sends 1008 instead
					// (docs/transports.md)
					assertThat(server.connections().get(0).awaitClose().closeCode())
						.isEqualTo(transport.equals("jdk") ? 1008 : 1009);
					long retained = HeapWatch.retainedNow();
					assertThat(retained - before).as("heap retained").isLessThan(16 * HeapWatch.MB);
					maxHeap.set(Math.max(heap.maxAfterCollection(), retained));
				}
				assertThat(maxHeap.get()).as("most heap in use after a collection").isLessThan(HeapWatch.maxHeap() / 4);
				await().atMost(TIMEOUT).until(() -> events.opened("feed") == 2);
			});
		return maxHeap.get();
	}

	private static void sendEndless(WsTestConnection connection, AtomicLong written) {
		byte[] fragment = new byte[FRAGMENT];
		try {
			connection.sendFrame(WsTestFrame.BINARY, false, 0, false, fragment);
			written.addAndGet(FRAGMENT);
			while (written.get() < ENDLESS) {
				connection.sendFrame(WsTestFrame.CONTINUATION, false, 0, false, fragment);
				written.addAndGet(FRAGMENT);
			}
		}
		catch (UncheckedIOException ex) {
			// the client closed the connection: the end of the endless message
		}
	}

	private static Consumer<WsTestConnection> firstConnectionOnly(Consumer<WsTestConnection> script) {
		AtomicInteger connections = new AtomicInteger();
		return (connection) -> {
			if (connections.incrementAndGet() == 1) {
				script.accept(connection);
			}
		};
	}

}
