package dev.wsboot.listener;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.core.JacksonException;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsMessage;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.converter.MessageConversionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for failures in {@code @WsListener} methods: never propagated, logged once
 * without more than 200 characters of payload, passed to the
 * {@link WsListenerErrorHandler}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WsListenerErrorHandlingTests {

	private final RecordingWsClient ticker = new RecordingWsClient("ticker");

	@Test
	void malformedJsonIsLoggedOnceWithClientListenerAndShortExcerptThenPassedToErrorHandler(CapturedOutput output) {
		String payload = "{\"symbol\":\"" + "A".repeat(150) + "B".repeat(150);
		try (ListenerTestContext context = ListenerTestContext.of(TradeListener.class, RecordingErrorHandler.class)) {
			WsMessage message = WsMessage.text(payload, true);
			context.deliver(this.ticker, message);
			context.deliver(this.ticker, WsMessage.text("{\"symbol\":\"OK\",\"price\":1}", true));

			assertThat(context.bean(TradeListener.class).received).containsExactly(new Trade("OK", 1));
			assertThat(context.bean(RecordingErrorHandler.class).failures).singleElement().satisfies((failure) -> {
				assertThat(failure.client()).isSameAs(this.ticker);
				assertThat(failure.listener()).isEqualTo("TradeListener.onTrade");
				assertThat(failure.message()).isSameAs(message);
				assertThat(failure.cause()).isInstanceOf(MessageConversionException.class)
					.hasRootCauseInstanceOf(JacksonException.class);
			});
		}
		String excerpt = "{\"symbol\":\"" + "A".repeat(150) + "B".repeat(39);
		List<String> lines = output.getOut().lines().filter((line) -> line.contains("could not convert")).toList();
		assertThat(lines).singleElement().satisfies((line) -> {
			assertThat(line).contains("WARN")
				.contains("client 'ticker'")
				.contains("TradeListener.onTrade")
				.contains("to Trade")
				.contains("(311 chars)")
				.contains(excerpt)
				.doesNotContain("B".repeat(40))
				.contains(JacksonException.class.getPackageName());
		});
		assertThat(output).doesNotContain("B".repeat(40));
	}

	@Test
	void exceptionInListenerIsLoggedOnceWithCauseThenPassedToErrorHandler(CapturedOutput output) {
		try (ListenerTestContext context = ListenerTestContext.of(FailingListener.class, RecordingErrorHandler.class)) {
			context.deliver(this.ticker, WsMessage.text("first", true));
			context.deliver(this.ticker, WsMessage.text("second", true));

			assertThat(context.bean(FailingListener.class).received).containsExactly("first", "second");
			assertThat(context.bean(RecordingErrorHandler.class).failures).hasSize(2)
				.allSatisfy((failure) -> assertThat(failure.cause()).isInstanceOf(IllegalStateException.class)
					.hasMessage("listener failed"));
		}
		List<String> lines = output.getOut()
			.lines()
			.filter((line) -> line.contains("@WsListener FailingListener.onText"))
			.toList();
		assertThat(lines).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("ERROR").contains("client 'ticker'").contains("failed"));
		assertThat(lines.get(0)).contains("text message (5 chars) 'first'");
		assertThat(output).contains("java.lang.IllegalStateException: listener failed");
	}

	@Test
	void binaryPayloadIsLoggedAsHexExcerpt(CapturedOutput output) {
		try (ListenerTestContext context = ListenerTestContext.of(TradeListener.class)) {
			byte[] data = new byte[300];
			data[0] = (byte) 0xca;
			data[1] = (byte) 0xfe;
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(data), true));
		}
		assertThat(output).contains("binary message (300 bytes) 0xcafe" + "00".repeat(98) + "...")
			.doesNotContain("cafe" + "00".repeat(99));
	}

	@Test
	void exceptionThrownByErrorHandlerIsLoggedAndSwallowed(CapturedOutput output) {
		try (ListenerTestContext context = ListenerTestContext.of(FailingListener.class, ThrowingErrorHandler.class)) {
			context.deliver(this.ticker, WsMessage.text("first", true));
			context.deliver(this.ticker, WsMessage.text("second", true));
			assertThat(context.bean(FailingListener.class).received).containsExactly("first", "second");
		}
		assertThat(output)
			.contains("WsListenerErrorHandler " + ThrowingErrorHandler.class.getName()
					+ " failed while handling a failure of @WsListener FailingListener.onText on client 'ticker'")
			.contains("error handler failed");
	}

	@Test
	void failedReplyFutureIsLoggedWithClientAndListenerThenPassedToErrorHandler(CapturedOutput output) {
		try (ListenerTestContext context = ListenerTestContext.of(FutureListener.class, RecordingErrorHandler.class)) {
			context.deliver(this.ticker, WsMessage.text("text", true));
			context.bean(FutureListener.class).futures.get(0).completeExceptionally(new IllegalStateException("late"));
			assertThat(context.bean(RecordingErrorHandler.class).failures).singleElement()
				.satisfies((failure) -> assertThat(failure.cause()).hasMessage("late"));
		}
		assertThat(output).contains("@WsListener FutureListener.onText on client 'ticker' failed for text message")
			.contains("java.lang.IllegalStateException: late");
	}

	@Test
	void replyThatCannotBeSentIsLoggedWithClientAndListener(CapturedOutput output) {
		this.ticker.failSends = true;
		try (ListenerTestContext context = ListenerTestContext.of(EchoListener.class)) {
			context.deliver(this.ticker, WsMessage.text("text", true));
		}
		assertThat(output).contains("Reply of @WsListener EchoListener.onText could not be sent on client 'ticker'")
			.contains("send buffer full");
	}

	static class TradeListener {

		final List<Trade> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onTrade(Trade trade) {
			this.received.add(trade);
		}

	}

	static class FailingListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onText(String text) {
			this.received.add(text);
			throw new IllegalStateException("listener failed");
		}

	}

	static class FutureListener {

		final List<CompletableFuture<String>> futures = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		CompletableFuture<String> onText(String text) {
			CompletableFuture<String> future = new CompletableFuture<>();
			this.futures.add(future);
			return future;
		}

	}

	static class EchoListener {

		@WsListener("ticker")
		String onText(String text) {
			return text;
		}

	}

	static class ThrowingErrorHandler implements WsListenerErrorHandler {

		@Override
		public void handleError(WsListenerFailure failure) {
			throw new IllegalStateException("error handler failed");
		}

	}

}
