package dev.wsboot.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link WsClient#close(int, String)} as the contract has it: a client closed before it
 * was ever started is CLOSED and refuses sends at once, and the future of a close
 * completes only after that close's {@link WsClientClosedEvent} was published.
 */
class WsClientCloseIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withBean(SlowClosedListener.class)
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"));

	@AfterAll
	static void closeServer() {
		server.close();
	}

	@Test
	void closingAClientThatWasNeverStartedLeavesItClosedAndLaterSendsFailAtOnce() {
		this.contextRunner.withPropertyValues("ws.clients.feed.auto-startup=false").run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			assertThat(feed.state()).isEqualTo(WsClientState.NEW);
			assertThat(feed.close(1000, "not needed")).isCompleted();
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
			CompletableFuture<Void> sent = feed.sendText("too late");
			assertThat(sent).isCompletedExceptionally();
			assertThatExceptionOfType(Exception.class).isThrownBy(sent::join)
				.withCauseInstanceOf(WsSendException.ClientClosed.class);
			assertThat(feed.bufferedAmount()).isZero();
		});
	}

	@Test
	void closeCompletesOnlyAfterItsClosedEventWasPublished() {
		this.contextRunner.run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(feed::isOpen);
			feed.close(1000, "done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			// no waiting: the event is there when close() completes
			assertThat(context.getBean(SlowClosedListener.class).events).singleElement()
				.satisfies((event) -> assertThat(event.code()).isEqualTo(1000));
			assertThat(feed.state()).isEqualTo(WsClientState.CLOSED);
		});
	}

	@Test
	void aListenerThatClosesItsClientAndAwaitsTheCloseIsNotStuckBehindTheEvent() {
		this.contextRunner.withBean(ClosingListener.class).run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(TIMEOUT).until(feed::isOpen);
			feed.sendText("stop");
			ClosingListener listener = context.getBean(ClosingListener.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> listener.outcome != null);
			assertThat(listener.outcome).isEqualTo("closed");
			await().atMost(TIMEOUT).until(() -> context.getBean(SlowClosedListener.class).events.size() == 1);
		});
	}

	/**
	 * Closes its client when told to and waits for the close, from the listener thread.
	 */
	static class ClosingListener {

		volatile String outcome;

		@WsListener("feed")
		void onText(String text, WsClient client) {
			try {
				client.close(1000, text).get(5, TimeUnit.SECONDS);
				this.outcome = "closed";
			}
			catch (Exception ex) {
				this.outcome = ex.toString();
			}
		}

	}

	/** Takes its time before it records a closed event, as real listeners may. */
	static class SlowClosedListener {

		final List<WsClientClosedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(WsClientClosedEvent event) throws InterruptedException {
			Thread.sleep(300);
			this.events.add(event);
		}

	}

}
