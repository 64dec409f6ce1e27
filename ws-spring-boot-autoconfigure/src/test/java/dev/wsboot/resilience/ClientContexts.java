package dev.wsboot.resilience;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestHandshake;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

/**
 * What the resilience tests share: an application context with one client {@code feed}
 * pointing at a test server, recording every lifecycle event.
 */
final class ClientContexts {

	private ClientContexts() {
	}

	/**
	 * A runner for a context with the client {@code feed} at {@code /feed} of the server
	 * and a {@link RecordedEvents} bean.
	 * @param server the server
	 * @return the runner
	 */
	static ApplicationContextRunner feed(WsTestServer server) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
			.withBean(RecordedEvents.class)
			.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"), "ws.shutdown-timeout=1s");
	}

	/**
	 * A connection script that runs {@code script} on the first connection only; later
	 * connections echo.
	 * @param script the script of the first connection
	 * @return the script for {@link WsTestServer#onConnect(Consumer)}
	 */
	static Consumer<WsTestConnection> firstConnection(Consumer<WsTestConnection> script) {
		AtomicInteger connections = new AtomicInteger();
		return (connection) -> {
			if (connections.incrementAndGet() == 1) {
				script.accept(connection);
			}
			else {
				connection.echo();
			}
		};
	}

	/**
	 * Answers handshakes as scripted, remembering when each one arrived.
	 */
	static final class TimedHandshakes implements Function<WsTestHandshake, WsTestHandshakeResponse> {

		private final List<Long> nanos = new CopyOnWriteArrayList<>();

		private final IntFunction<WsTestHandshakeResponse> responses;

		/**
		 * @param responses the response to the n-th handshake (1-based)
		 */
		TimedHandshakes(IntFunction<WsTestHandshakeResponse> responses) {
			this.responses = responses;
		}

		@Override
		public WsTestHandshakeResponse apply(WsTestHandshake handshake) {
			this.nanos.add(System.nanoTime());
			return this.responses.apply(this.nanos.size());
		}

		int count() {
			return this.nanos.size();
		}

		/** Milliseconds between handshake {@code n} and {@code n + 1} (1-based). */
		long gapMillis(int n) {
			return (this.nanos.get(n) - this.nanos.get(n - 1)) / 1_000_000;
		}

	}

}
