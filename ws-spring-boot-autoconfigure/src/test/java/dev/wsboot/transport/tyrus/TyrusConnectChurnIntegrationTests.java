package dev.wsboot.transport.tyrus;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connects that start the moment the last connection ended: Tyrus shuts its executors
 * down with its last connection, and a connect handed to them in that instant failed
 * ({@code RejectedExecutionException}, or a {@code NullPointerException} from the
 * executor being cleared) about once in 4,000 connects.
 */
class TyrusConnectChurnIntegrationTests {

	/** Connect/close cycles per transport. */
	private static final int CYCLES = 3_000;

	/**
	 * Transports churning at once, each with its own Tyrus client manager (and
	 * executors).
	 */
	private static final int TRANSPORTS = 2;

	private static final Duration BUDGET = Duration.ofSeconds(45);

	@Test
	void connectsStartedAsTheLastConnectionEndsNeverFail() throws Exception {
		try (WsTestServer server = WsTestServer.start()) {
			server.recordPayloads(false).onConnect((connection) -> {
			});
			WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(),
					Duration.ofSeconds(10), 1024, null);
			long deadline = System.nanoTime() + BUDGET.toNanos();
			List<CompletableFuture<Churn>> churns = new ArrayList<>();
			for (int i = 0; i < TRANSPORTS; i++) {
				churns.add(CompletableFuture.supplyAsync(() -> churn(request, deadline)));
			}
			for (CompletableFuture<Churn> future : churns) {
				Churn churn = future.get(BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
				assertThat(churn.failures()).as("failed connects out of %d, first: %s", churn.cycles(), churn.first())
					.isEmpty();
				assertThat(churn.cycles()).isGreaterThanOrEqualTo(500);
			}
		}
	}

	@Test
	void theEndOfTheLastConnectionLeavesTyrusExecutorsRunning() throws Exception {
		try (WsTestServer server = WsTestServer.start(); TyrusWsTransport transport = new TyrusWsTransport()) {
			WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(),
					Duration.ofSeconds(10), 1024, null);
			ClosedLatch closed = new ClosedLatch();
			WsConnection connection = transport.connect(request, closed).get(10, TimeUnit.SECONDS);
			ExecutorService executor = transport.currentClientManager().getExecutorService();
			connection.sendClose(1000, "");
			assertThat(closed.latch.await(10, TimeUnit.SECONDS)).isTrue();
			server.awaitConnection().awaitDisconnected();
			// Tyrus used to shut it down right after its last connection ended
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !executor.isShutdown());
			assertThat(transport.currentClientManager().getExecutorService()).isSameAs(executor);
		}
	}

	/**
	 * Connect, close (alternately with a closing handshake and by dropping the
	 * connection), repeat.
	 */
	private static Churn churn(WsConnectRequest request, long deadline) {
		List<Throwable> failures = new ArrayList<>();
		int cycles = 0;
		try (TyrusWsTransport transport = new TyrusWsTransport()) {
			while (cycles < CYCLES && System.nanoTime() < deadline) {
				cycles++;
				ClosedLatch closed = new ClosedLatch();
				WsConnection connection;
				try {
					connection = transport.connect(request, closed).get(10, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					failures.add(ex);
					continue;
				}
				if (cycles % 2 == 0) {
					connection.abort();
				}
				else {
					connection.sendClose(1000, "");
				}
				if (!closed.latch.await(10, TimeUnit.SECONDS)) {
					failures.add(new AssertionError("connection " + cycles + " did not end"));
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			failures.add(ex);
		}
		return new Churn(cycles, failures);
	}

	private record Churn(int cycles, List<Throwable> failures) {

		Throwable first() {
			return this.failures.isEmpty() ? null : this.failures.get(0);
		}

	}

	private static final class ClosedLatch implements WsConnectionHandler {

		final CountDownLatch latch = new CountDownLatch(1);

		@Override
		public void onOpen(WsConnection connection) {
		}

		@Override
		public void onText(String text, boolean last) {
		}

		@Override
		public void onBinary(ByteBuffer data, boolean last) {
		}

		@Override
		public void onPong(ByteBuffer payload) {
		}

		@Override
		public void onClose(int code, String reason) {
			this.latch.countDown();
		}

	}

}
