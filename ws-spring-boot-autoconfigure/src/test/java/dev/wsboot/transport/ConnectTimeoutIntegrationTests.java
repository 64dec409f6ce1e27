package dev.wsboot.transport;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wsboot.transport.jdk.JdkWsTransport;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code connect-timeout} lets go of the socket, on both transports: a server that accepts
 * TCP but never answers the upgrade sees the connection closed right after the timeout.
 */
class ConnectTimeoutIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void connectTimeoutClosesTheSocketOfAHandshakeTheServerNeverAnswers(String name) throws Exception {
		try (SilentHandshakeServer server = SilentHandshakeServer.start(); WsTransport transport = transport(name)) {
			long start = System.nanoTime();
			CompletableFuture<WsConnection> connect = transport.connect(request(server, Duration.ofSeconds(1)),
					new NoOpHandler());
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			await().atMost(TIMEOUT).until(() -> !server.accepted().isEmpty() && server.open() == 0);
			long closedAfterMillis = (server.accepted().get(0).closedNanos() - start) / 1_000_000;
			// connect-timeout=1s; the upper bound leaves room for a loaded machine (a socket
			// that is not let go stays open until the server answers: never)
			assertThat(closedAfterMillis).isBetween(950L, 5_000L);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void repeatedTimedOutAttemptsDoNotPinSockets(String name) throws Exception {
		try (SilentHandshakeServer server = SilentHandshakeServer.start(); WsTransport transport = transport(name)) {
			for (int i = 0; i < 5; i++) {
				CompletableFuture<WsConnection> connect = transport
					.connect(request(server, Duration.ofMillis(300)), new NoOpHandler());
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> connect.get(10, TimeUnit.SECONDS));
			}
			await().atMost(TIMEOUT).until(() -> server.accepted().size() == 5 && server.open() == 0);
		}
	}

	private static WsConnectRequest request(SilentHandshakeServer server, Duration connectTimeout) {
		return new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(), connectTimeout, 1024 * 1024, null);
	}

	private static WsTransport transport(String name) {
		return name.equals("jdk") ? new JdkWsTransport() : new TyrusWsTransport();
	}

	private static final class NoOpHandler implements WsConnectionHandler {

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
		}

	}

}
