package dev.wsboot.listener;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opened-event guarantee over a real socket: a subscribe sent from a synchronous
 * {@code @EventListener} for {@link WsClientOpenedEvent} is written before any
 * {@code @WsListener} sees a message of that connection, even though the server starts
 * sending right after the handshake, on the first connection and after every reconnect.
 */
class WsListenerOpenedEventIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"),
				"ws.clients.feed.reconnect.initial-delay=50ms", "ws.clients.feed.reconnect.jitter=0")
		.withUserConfiguration(Subscriber.class);

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@ParameterizedTest(name = "on {0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void subscribeFromTheOpenedEventGoesOutBeforeAnyListenerSeesAMessageAlsoAfterAReconnect(String transport) {
		server.onConnect((connection) -> {
			connection.sendText("tick-1");
			connection.sendText("tick-2");
			connection.sendText("tick-3");
		});
		this.contextRunner.withPropertyValues("ws.clients.feed.transport=" + transport).run((context) -> {
			Subscriber subscriber = context.getBean(Subscriber.class);
			WsTestConnection first = server.awaitConnection();
			assertThat(first.awaitTexts(4)).containsExactly("subscribe #1", "ack tick-1", "ack tick-2", "ack tick-3");
			first.dropTcp();
			WsTestConnection second = server.awaitConnection();
			assertThat(second.awaitTexts(4)).containsExactly("subscribe #2", "ack tick-1", "ack tick-2", "ack tick-3");
			// the listener ran after the opened event, whose subscribe was already on its
			// way
			// (the server got it first, above); when its future completes is up to the
			// transport
			assertThat(subscriber.log.await(8)).containsExactly("opened #1", "tick-1 (subscribe sent)",
					"tick-2 (subscribe sent)", "tick-3 (subscribe sent)", "opened #2", "tick-1 (subscribe sent)",
					"tick-2 (subscribe sent)", "tick-3 (subscribe sent)");
		});
	}

	static class Subscriber {

		final Inbox<String> log = new Inbox<>();

		private final AtomicInteger connections = new AtomicInteger();

		private final List<CompletableFuture<Void>> subscribes = new CopyOnWriteArrayList<>();

		@EventListener
		void onOpened(WsClientOpenedEvent event) {
			int connection = this.connections.incrementAndGet();
			this.subscribes.add(event.client().sendText("subscribe #" + connection));
			this.log.add("opened #" + connection);
		}

		@WsListener("feed")
		String onTick(String tick) {
			CompletableFuture<Void> subscribe = this.subscribes.get(this.subscribes.size() - 1);
			this.log.add(tick + (subscribe.isCompletedExceptionally() ? " (subscribe failed)" : " (subscribe sent)"));
			return "ack " + tick;
		}

	}

}
