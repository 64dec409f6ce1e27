package dev.wsboot.listener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WsListenerAdapter}: which parameters a listener gets, which frames
 * reach it, and what is sent back.
 */
class WsListenerAdapterTests {

	private final RecordingWsClient ticker = new RecordingWsClient("ticker");

	@Test
	void textMessageIsPassedToStringParameterAsIs() {
		try (ListenerTestContext context = ListenerTestContext.of(TextListener.class)) {
			context.deliver(this.ticker, WsMessage.text("{\"not\":\"parsed\"}", true));
			assertThat(context.bean(TextListener.class).received).containsExactly("{\"not\":\"parsed\"}");
		}
	}

	@Test
	void binaryMessageIsPassedToByteArrayParameter() {
		try (ListenerTestContext context = ListenerTestContext.of(BytesListener.class)) {
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true));
			assertThat(context.bean(BytesListener.class).received).singleElement().isEqualTo(new byte[] { 1, 2, 3 });
		}
	}

	@Test
	void binaryMessageIsPassedToByteBufferParameter() {
		try (ListenerTestContext context = ListenerTestContext.of(ByteBufferListener.class)) {
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(new byte[] { 4, 5 }), true));
			assertThat(context.bean(ByteBufferListener.class).received).singleElement()
				.isEqualTo(ByteBuffer.wrap(new byte[] { 4, 5 }));
		}
	}

	@Test
	void wsMessageParameterReceivesTextAndBinaryMessages() {
		try (ListenerTestContext context = ListenerTestContext.of(AnyFrameListener.class)) {
			WsMessage text = WsMessage.text("hello", true);
			WsMessage binary = WsMessage.binary(ByteBuffer.wrap(new byte[] { 9 }), true);
			context.deliver(this.ticker, text);
			context.deliver(this.ticker, binary);
			assertThat(context.bean(AnyFrameListener.class).received).containsExactly(text, binary);
		}
	}

	@Test
	void jsonTextIsConvertedToRecordParameter() {
		try (ListenerTestContext context = ListenerTestContext.of(TradeListener.class)) {
			context.deliver(this.ticker, WsMessage.text("{\"symbol\":\"ACME\",\"price\":12.5}", true));
			assertThat(context.bean(TradeListener.class).received).containsExactly(new Trade("ACME", 12.5));
		}
	}

	@Test
	void jsonBinaryIsConvertedToRecordParameter() {
		try (ListenerTestContext context = ListenerTestContext.of(TradeListener.class)) {
			byte[] json = "{\"symbol\":\"ACME\",\"price\":1}".getBytes(StandardCharsets.UTF_8);
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(json), true));
			assertThat(context.bean(TradeListener.class).received).containsExactly(new Trade("ACME", 1));
		}
	}

	@Test
	void jsonArrayIsConvertedToGenericListParameter() {
		try (ListenerTestContext context = ListenerTestContext.of(TradeListListener.class)) {
			context.deliver(this.ticker,
					WsMessage.text("[{\"symbol\":\"A\",\"price\":1},{\"symbol\":\"B\",\"price\":2}]", true));
			List<List<Trade>> received = context.bean(TradeListListener.class).received;
			assertThat(received).singleElement()
				.satisfies((trades) -> assertThat(trades).containsExactly(new Trade("A", 1), new Trade("B", 2)));
		}
	}

	@Test
	void clientParameterReceivesTheClientTheMessageArrivedOnInAnyOrder() {
		try (ListenerTestContext context = ListenerTestContext.of(ClientFirstListener.class)) {
			context.deliver(this.ticker, WsMessage.text("{\"symbol\":\"ACME\",\"price\":3}", true));
			ClientFirstListener listener = context.bean(ClientFirstListener.class);
			assertThat(listener.clients).containsExactly(this.ticker);
			assertThat(listener.trades).containsExactly(new Trade("ACME", 3));
		}
	}

	@Test
	void partialListenerReceivesFragmentsWithLastFlag() {
		try (ListenerTestContext context = ListenerTestContext.of(PartialListener.class)) {
			assertThat(context.listeners("ticker")).singleElement()
				.satisfies((listener) -> assertThat(listener.isPartial()).isTrue());
			context.deliver(this.ticker, WsMessage.text("{\"sym", false));
			context.deliver(this.ticker, WsMessage.text("bol\":1}", true));
			assertThat(context.bean(PartialListener.class).received).containsExactly("false:{\"sym", "true:bol\":1}");
		}
	}

	@Test
	void wholeMessageListenerIsNotPartial() {
		try (ListenerTestContext context = ListenerTestContext.of(TextListener.class)) {
			assertThat(context.listeners("ticker")).singleElement()
				.satisfies((listener) -> assertThat(listener.isPartial()).isFalse());
		}
	}

	@Test
	void binaryMessageDoesNotReachTextListenerAndTextDoesNotReachBinaryListeners() {
		try (ListenerTestContext context = ListenerTestContext.of(TextListener.class, BytesListener.class,
				ByteBufferListener.class)) {
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(new byte[] { 1 }), true));
			context.deliver(this.ticker, WsMessage.text("text", true));
			assertThat(context.bean(TextListener.class).received).containsExactly("text");
			assertThat(context.bean(BytesListener.class).received).hasSize(1);
			assertThat(context.bean(ByteBufferListener.class).received).hasSize(1);
		}
	}

	@Test
	void listenerWithoutPayloadParameterReceivesEveryMessage() {
		try (ListenerTestContext context = ListenerTestContext.of(ClientOnlyListener.class)) {
			context.deliver(this.ticker, WsMessage.text("text", true));
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(new byte[] { 1 }), true));
			assertThat(context.bean(ClientOnlyListener.class).clients).containsExactly(this.ticker, this.ticker);
		}
	}

	@Test
	void stringReturnValueIsSentBackAsText() {
		try (ListenerTestContext context = ListenerTestContext.of(ReplyingListener.class)) {
			context.deliver(this.ticker, WsMessage.text("text", true));
			assertThat(this.ticker.sentText).containsExactly("echo:text");
			assertThat(this.ticker.sentBinary).isEmpty();
			assertThat(this.ticker.sentObjects).isEmpty();
		}
	}

	@Test
	void byteArrayAndByteBufferReturnValuesAreSentBackAsBinary() {
		try (ListenerTestContext context = ListenerTestContext.of(ReplyingListener.class)) {
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(new byte[] { 7 }), true));
			assertThat(this.ticker.sentBinary).containsExactlyInAnyOrder(ByteBuffer.wrap(new byte[] { 7, 7 }),
					ByteBuffer.wrap(new byte[] { 8 }));
			assertThat(this.ticker.sentText).isEmpty();
		}
	}

	@Test
	void objectReturnValueIsSentBackAsJsonObject() {
		try (ListenerTestContext context = ListenerTestContext.of(AckListener.class)) {
			context.deliver(this.ticker, WsMessage.text("{\"symbol\":\"ACME\",\"price\":3}", true));
			assertThat(this.ticker.sentObjects).containsExactly(new Ack("ACME"));
		}
	}

	@Test
	void nullReturnValueSendsNothing() {
		try (ListenerTestContext context = ListenerTestContext.of(NullReplyListener.class)) {
			context.deliver(this.ticker, WsMessage.text("text", true));
			assertThat(this.ticker.sentText).isEmpty();
			assertThat(this.ticker.sentObjects).isEmpty();
		}
	}

	@Test
	void futureReturnValueIsSentBackWhenItCompletes() {
		try (ListenerTestContext context = ListenerTestContext.of(FutureListener.class)) {
			FutureListener listener = context.bean(FutureListener.class);
			context.deliver(this.ticker, WsMessage.text("first", true));
			context.deliver(this.ticker, WsMessage.text("second", true));
			assertThat(this.ticker.sentObjects).isEmpty();
			listener.futures.get(0).complete(new Ack("first"));
			listener.futures.get(1).complete(null);
			assertThat(this.ticker.sentObjects).containsExactly(new Ack("first"));
		}
	}

	@Test
	void exceptionInListenerDoesNotPropagateAndTheNextMessageIsDelivered() {
		try (ListenerTestContext context = ListenerTestContext.of(FailingOnceListener.class)) {
			context.deliver(this.ticker, WsMessage.text("boom", true));
			context.deliver(this.ticker, WsMessage.text("fine", true));
			assertThat(context.bean(FailingOnceListener.class).received).containsExactly("boom", "fine");
		}
	}

	static class TextListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onText(String text) {
			this.received.add(text);
		}

	}

	static class BytesListener {

		final List<byte[]> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onBinary(byte[] data) {
			this.received.add(data);
		}

	}

	static class ByteBufferListener {

		final List<ByteBuffer> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onBinary(ByteBuffer data) {
			this.received.add(data);
		}

	}

	static class AnyFrameListener {

		final List<WsMessage> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onMessage(WsMessage message) {
			this.received.add(message);
		}

	}

	static class TradeListener {

		final List<Trade> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onTrade(Trade trade) {
			this.received.add(trade);
		}

	}

	static class TradeListListener {

		final List<List<Trade>> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onTrades(List<Trade> trades) {
			this.received.add(trades);
		}

	}

	static class ClientFirstListener {

		final List<WsClient> clients = new CopyOnWriteArrayList<>();

		final List<Trade> trades = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onTrade(WsClient client, Trade trade) {
			this.clients.add(client);
			this.trades.add(trade);
		}

	}

	static class ClientOnlyListener {

		final List<WsClient> clients = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onAny(WsClient client) {
			this.clients.add(client);
		}

	}

	static class PartialListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WsListener(value = "ticker", partial = true)
		void onPart(boolean last, String part) {
			this.received.add(last + ":" + part);
		}

	}

	static class ReplyingListener {

		@WsListener("ticker")
		String onText(String text) {
			return "echo:" + text;
		}

		@WsListener("ticker")
		byte[] onBytes(byte[] data) {
			return new byte[] { data[0], data[0] };
		}

		@WsListener("ticker")
		ByteBuffer onBuffer(ByteBuffer data) {
			return ByteBuffer.wrap(new byte[] { 8 });
		}

	}

	record Ack(String id) {
	}

	static class AckListener {

		@WsListener("ticker")
		Ack onTrade(Trade trade, WsClient client) {
			return new Ack(trade.symbol());
		}

	}

	static class NullReplyListener {

		@WsListener("ticker")
		Object onText(String text) {
			return null;
		}

	}

	static class FutureListener {

		final List<CompletableFuture<Ack>> futures = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		CompletableFuture<Ack> onText(String text) {
			CompletableFuture<Ack> future = new CompletableFuture<>();
			this.futures.add(future);
			return future;
		}

	}

	static class FailingOnceListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onText(String text) {
			this.received.add(text);
			if (text.equals("boom")) {
				throw new IllegalStateException("boom");
			}
		}

	}

}
