package dev.wsboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.converter.MessageConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener failures over a real socket: an exception or a payload that cannot be
 * converted never closes the connection and the next message is delivered as usual,
 * unless the {@link WsListenerErrorHandler} decides to close the client.
 */
class WsListenerErrorsIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"))
		.withUserConfiguration(ClosedEvents.class);

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@Test
	void anExceptionInAListenerIsHandledAndTheNextMessageIsDeliveredNormally() {
		server.onConnect((connection) -> {
			connection.sendText("boom");
			connection.sendText("fine");
		});
		this.contextRunner.withUserConfiguration(FailingListener.class, RecordingErrorHandler.class).run((context) -> {
			FailingListener listener = context.getBean(FailingListener.class);
			assertThat(listener.received.await(2)).containsExactly("boom", "fine");
			assertThat(listener.succeeded.await(1)).containsExactly("fine");
			assertThat(context.getBean(RecordingErrorHandler.class).failures).singleElement().satisfies((failure) -> {
				assertThat(failure.client()).isSameAs(context.getBean("feed", WsClient.class));
				assertThat(failure.listener()).isEqualTo("FailingListener.onText");
				assertThat(failure.message().text()).isEqualTo("boom");
				assertThat(failure.cause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
			});
			assertThat(context.getBean("feed", WsClient.class).isOpen()).isTrue();
			assertThat(context.getBean(ClosedEvents.class).events).isEmpty();
		});
	}

	@Test
	void malformedJsonIsHandledAndTheNextMessageIsDeliveredNormally() {
		server.onConnect((connection) -> {
			connection.sendText("{\"symbol\":\"ACME\",\"price\":");
			connection.sendText("{\"symbol\":\"ACME\",\"price\":2}");
		});
		this.contextRunner.withUserConfiguration(TradeListener.class, RecordingErrorHandler.class).run((context) -> {
			TradeListener listener = context.getBean(TradeListener.class);
			assertThat(listener.received.await(1)).containsExactly(new Trade("ACME", 2));
			assertThat(context.getBean(RecordingErrorHandler.class).failures).singleElement().satisfies((failure) -> {
				assertThat(failure.listener()).isEqualTo("TradeListener.onTrade");
				assertThat(failure.cause()).isInstanceOf(MessageConversionException.class);
			});
			assertThat(context.getBean("feed", WsClient.class).isOpen()).isTrue();
			assertThat(context.getBean(ClosedEvents.class).events).isEmpty();
		});
	}

	@Test
	void theErrorHandlerMayCloseTheClient() {
		server.onConnect((connection) -> {
			connection.sendText("boom");
			connection.sendText("too late");
		});
		this.contextRunner.withUserConfiguration(FailingListener.class)
			.withBean(WsListenerErrorHandler.class,
					() -> (failure) -> failure.client().close(1011, "listener " + failure.listener() + " failed"))
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				WsTestConnection connection = server.awaitConnection();
				assertThat(connection.awaitClose().closeCode()).isEqualTo(1011);
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == WsClientState.CLOSED);
				List<WsClientClosedEvent> closed = context.getBean(ClosedEvents.class).events;
				await().atMost(Duration.ofSeconds(10)).until(() -> !closed.isEmpty());
				assertThat(closed).singleElement().satisfies((event) -> {
					assertThat(event.code()).isEqualTo(1011);
					assertThat(event.willReconnect()).isFalse();
				});
				assertThat(server.connections()).hasSize(1);
			});
	}

	static class FailingListener {

		final Inbox<String> received = new Inbox<>();

		final Inbox<String> succeeded = new Inbox<>();

		@WsListener("feed")
		void onText(String text) {
			this.received.add(text);
			if (text.equals("boom")) {
				throw new IllegalStateException("boom");
			}
			this.succeeded.add(text);
		}

	}

	static class TradeListener {

		final Inbox<Trade> received = new Inbox<>();

		@WsListener("feed")
		void onTrade(Trade trade) {
			this.received.add(trade);
		}

	}

	static class ClosedEvents {

		final List<WsClientClosedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onClosed(WsClientClosedEvent event) {
			this.events.add(event);
		}

	}

}
