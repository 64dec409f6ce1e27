package dev.wsboot.resilience;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ws.shutdown-timeout} on context close, on both transports: every open client
 * sends close 1001, waits up to the timeout for the server's close frame, then drops the
 * socket.
 */
class ShutdownTimeoutIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WsTestServer server = WsTestServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void contextCloseKeepsTheConnectionUntilTheShutdownTimeoutWhenTheServerNeverAnswersTheClose(String transport) {
		this.server.onConnect(WsTestConnection::ignoreClose);
		ClientContexts.feed(this.server).withPropertyValues("ws.clients.feed.transport=" + transport).run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(feed::isOpen);
			WsTestConnection connection = this.server.awaitConnection();
			CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
				context.close();
				return System.nanoTime();
			});
			WsTestFrame close = connection.awaitClose();
			assertThat(close.closeCode()).isEqualTo(1001);
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> !connection.isOpen());
			long droppedAfterMillis = (System.nanoTime() - close.receivedNanos()) / 1_000_000;
			// ws.shutdown-timeout=1s
			assertThat(droppedAfterMillis).isBetween(900L, 5_000L);
			long contextClosedAfterMillis = (closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS) - close.receivedNanos())
					/ 1_000_000;
			assertThat(contextClosedAfterMillis).isGreaterThanOrEqualTo(900L);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void contextCloseEndsPromptlyWhenTheServerAnswersTheClose(String transport) {
		ClientContexts.feed(this.server)
			.withPropertyValues("ws.clients.feed.transport=" + transport, "ws.shutdown-timeout=5s")
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				await().atMost(TIMEOUT).until(feed::isOpen);
				WsTestConnection connection = this.server.awaitConnection();
				RecordedEvents events = context.getBean(RecordedEvents.class);
				long start = System.nanoTime();
				context.close();
				long closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
				assertThat(connection.awaitClose().closeCode()).isEqualTo(1001);
				connection.awaitDisconnected();
				assertThat(closedAfterMillis).isLessThan(2_000L);
				assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
				assertThat(events.awaitClosed().code()).isEqualTo(1001);
			});
	}

}
