package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A client configured from properties against a real WebSocket server on a random
 * loopback port; run once per transport (the behaviour must not depend on it).
 */
abstract class WsClientIntegrationTests {

	static WsTestServer server;

	@BeforeAll
	static void startServer() {
		server = WsTestServer.start();
	}

	@AfterAll
	static void closeServer() {
		server.close();
	}

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class,
				WsHealthContributorAutoConfiguration.class))
		.withUserConfiguration(Listeners.class)
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"), "ws.defaults.transport=" + transport());

	/**
	 * The transport under test.
	 * @return its name
	 */
	abstract String transport();

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@Test
	void deliversTextBinaryAndJsonToTheMatchingListeners() {
		server.onConnect((connection) -> {
			connection.sendText("{\"symbol\":\"ACME\",\"price\":12.5}");
			connection.sendBinary(new byte[] { 1, 2, 3 });
			connection.echo();
		});
		this.contextRunner.run((context) -> {
			Received received = context.getBean(Received.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> received.quotes.size() == 1 && received.binaries.size() == 1);
			assertThat(received.texts).containsExactly("{\"symbol\":\"ACME\",\"price\":12.5}");
			assertThat(received.quotes).containsExactly(new Quote("ACME", 12.5));
			assertThat(received.binaries.get(0)).containsExactly(1, 2, 3);
		});
	}

	@Test
	void writesSendsInTheOrderTheyWereMade() {
		server.onConnect(WsTestConnection::echo);
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(Duration.ofSeconds(10)).until(feed::isOpen);
			WsTestConnection connection = server.connections().get(0);
			feed.sendText("one");
			feed.sendBinary("two".getBytes(StandardCharsets.UTF_8));
			feed.sendObject(new Quote("ACME", 1.0));
			CompletableFuture<Void> last = feed.sendText("four");
			last.get(10, java.util.concurrent.TimeUnit.SECONDS);
			connection.awaitFrame((frame) -> frame.isText() && "four".equals(frame.text()));
			List<WsTestFrame> frames = connection.frames()
				.stream()
				.filter((frame) -> frame.isText() || frame.isBinary())
				.toList();
			assertThat(frames).extracting(WsTestFrame::opcode)
				.containsExactly(WsTestFrame.TEXT, WsTestFrame.BINARY, WsTestFrame.TEXT, WsTestFrame.TEXT);
			assertThat(frames.get(0).text()).isEqualTo("one");
			assertThat(new String(frames.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("two");
			assertThat(frames.get(2).text()).isEqualTo("{\"symbol\":\"ACME\",\"price\":1.0}");
			assertThat(frames.get(3).text()).isEqualTo("four");
		});
	}

	@Test
	void queuesSendsMadeBeforeTheConnectionOpensAndWritesThemOnceOpen() {
		server.onConnect(WsTestConnection::echo);
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			CompletableFuture<Void> early = feed.sendText("early");
			assertThat(early).isNotDone();
			assertThat(feed.bufferedAmount()).isEqualTo(5);
			feed.connect();
			early.get(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(server.awaitConnection().awaitTexts(1)).containsExactly("early");
			assertThat(feed.bufferedAmount()).isZero();
		});
	}

	@Test
	void failsASendBeyondTheSendBufferLimitAtOnce() {
		this.contextRunner
			.withPropertyValues("ws.clients.feed.auto-startup=false", "ws.clients.feed.send-buffer-limit=1KB")
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				CompletableFuture<Void> fits = feed.sendBinary(new byte[1000]);
				CompletableFuture<Void> overflows = feed.sendBinary(new byte[100]);
				assertThat(fits).isNotDone();
				assertThat(overflows).isCompletedExceptionally();
				assertThatExceptionOfType(Exception.class).isThrownBy(overflows::join)
					.havingCause()
					.isInstanceOf(WsSendException.BufferFull.class)
					.withMessageContaining("send-buffer-limit");
			});
	}

	@Test
	void failsSendsAfterTheApplicationClosedTheClient() {
		server.onConnect(WsTestConnection::echo);
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(Duration.ofSeconds(10)).until(feed::isOpen);
			feed.close(1000, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
			assertThat(feed.sendText("late")).isCompletedExceptionally();
			assertThat(server.connections().get(0).awaitClose().closeCode()).isEqualTo(1000);
		});
	}

	@Test
	void healthFlipsFromUpToDownWhenTheServerGoesAway() {
		server.onConnect(WsTestConnection::echo);
		this.contextRunner.withPropertyValues("ws.clients.feed.reconnect.initial-delay=5s").run((context) -> {
			HealthIndicator health = (HealthIndicator) context
				.getBean("wsClientsHealthContributor", CompositeHealthContributor.class)
				.getContributor("feed");
			await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(health.health().getStatus().getCode()));
			server.stop();
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> "DOWN".equals(health.health().getStatus().getCode()));
				assertThat(health.health().getDetails()).containsEntry("state", "RECONNECTING");
			}
			finally {
				server.restart();
			}
		});
	}

	@Test
	void sendsGoingAwayWhenTheContextCloses() {
		server.onConnect(WsTestConnection::echo);
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(Duration.ofSeconds(10)).until(feed::isOpen);
			context.close();
			WsTestFrame close = server.connections().get(0).awaitClose();
			assertThat(close.closeCode()).isEqualTo(1001);
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
		});
	}

	record Quote(String symbol, double price) {
	}

	static final class Received {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<Quote> quotes = new CopyOnWriteArrayList<>();

		final List<byte[]> binaries = new CopyOnWriteArrayList<>();

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Received received() {
			return new Received();
		}

		@Bean
		FeedListener feedListener(Received received) {
			return new FeedListener(received);
		}

	}

	static class FeedListener {

		private final Received received;

		FeedListener(Received received) {
			this.received = received;
		}

		@WsListener("feed")
		void onText(String text) {
			this.received.texts.add(text);
		}

		@WsListener("feed")
		void onQuote(Quote quote) {
			this.received.quotes.add(quote);
		}

		@WsListener("feed")
		void onBinary(byte[] data) {
			this.received.binaries.add(data);
		}

		@WsListener("feed")
		void onBuffer(ByteBuffer data) {
		}

	}

}
