package dev.wsboot.listener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code @WsListener} parameter kind and return value, end to end: a real server on
 * a loopback port sends, the auto-configured client receives and the listener's reply
 * reaches the server.
 */
class WsListenerParametersIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private static final byte[] BINARY = { 1, 2, 3 };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"));

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@Test
	void stringListenerReceivesTextMessagesOnly() {
		sendOnConnect((connection) -> {
			connection.sendBinary(BINARY);
			connection.sendText("hello");
		});
		this.contextRunner.withUserConfiguration(TextListener.class).run((context) -> {
			TextListener listener = context.getBean(TextListener.class);
			assertThat(listener.received.await(1)).containsExactly("hello");
		});
	}

	@Test
	void byteArrayListenerReceivesBinaryMessagesOnly() {
		sendOnConnect((connection) -> {
			connection.sendText("not for byte[]");
			connection.sendBinary(BINARY);
		});
		this.contextRunner.withUserConfiguration(BytesListener.class).run((context) -> {
			BytesListener listener = context.getBean(BytesListener.class);
			assertThat(listener.received.await(1)).singleElement().isEqualTo(BINARY);
		});
	}

	@Test
	void byteBufferListenerReceivesBinaryMessagesOnly() {
		sendOnConnect((connection) -> {
			connection.sendText("not for ByteBuffer");
			connection.sendBinary(BINARY);
		});
		this.contextRunner.withUserConfiguration(ByteBufferListener.class).run((context) -> {
			ByteBufferListener listener = context.getBean(ByteBufferListener.class);
			assertThat(listener.received.await(1)).singleElement().isEqualTo(ByteBuffer.wrap(BINARY));
		});
	}

	@Test
	void wsMessageListenerReceivesTextAndBinaryMessagesInArrivalOrder() {
		sendOnConnect((connection) -> {
			connection.sendText("first");
			connection.sendBinary(BINARY);
			connection.sendText("third");
		});
		this.contextRunner.withUserConfiguration(MessageListener.class).run((context) -> {
			List<WsMessage> received = context.getBean(MessageListener.class).received.await(3);
			assertThat(received).extracting(WsMessage::isText).containsExactly(true, false, true);
			assertThat(received.get(0).text()).isEqualTo("first");
			assertThat(received.get(1).toBytes()).isEqualTo(BINARY);
			assertThat(received.get(2).text()).isEqualTo("third");
			assertThat(received).allMatch(WsMessage::isLast);
		});
	}

	@Test
	void recordListenerReceivesJsonTextConverted() {
		sendOnConnect((connection) -> connection.sendText("{\"symbol\":\"ACME\",\"price\":12.5}"));
		this.contextRunner.withUserConfiguration(TradeListener.class).run((context) -> {
			TradeListener listener = context.getBean(TradeListener.class);
			assertThat(listener.received.await(1)).containsExactly(new Trade("ACME", 12.5));
		});
	}

	@Test
	void recordListenerReceivesJsonBinaryConverted() {
		sendOnConnect((connection) -> connection
			.sendBinary("{\"symbol\":\"ACME\",\"price\":7}".getBytes(StandardCharsets.UTF_8)));
		this.contextRunner.withUserConfiguration(TradeListener.class).run((context) -> {
			TradeListener listener = context.getBean(TradeListener.class);
			assertThat(listener.received.await(1)).containsExactly(new Trade("ACME", 7));
		});
	}

	@Test
	void genericListListenerReceivesAJsonArrayConvertedElementByElement() {
		sendOnConnect((connection) -> connection
			.sendText("[{\"symbol\":\"ACME\",\"price\":1.5},{\"symbol\":\"INIT\",\"price\":2}]"));
		this.contextRunner.withUserConfiguration(TradeListListener.class).run((context) -> {
			TradeListListener listener = context.getBean(TradeListListener.class);
			assertThat(listener.received.await(1)).singleElement()
				.isEqualTo(List.of(new Trade("ACME", 1.5), new Trade("INIT", 2)));
		});
	}

	@Test
	void wsClientParameterIsTheClientBeanTheMessageArrivedOn() {
		sendOnConnect((connection) -> connection.sendText("hello"));
		this.contextRunner.withUserConfiguration(ClientListener.class).run((context) -> {
			ClientListener listener = context.getBean(ClientListener.class);
			assertThat(listener.clients.await(1)).singleElement().isSameAs(context.getBean("feed", WsClient.class));
			assertThat(server.awaitConnection().awaitTexts(1)).containsExactly("seen hello");
		});
	}

	@Test
	void partialListenerReceivesEachFragmentWithTheLastFlag() {
		sendOnConnect((connection) -> {
			connection.sendFragmentedText("abcdefghij", 4);
			connection.sendFragmentedBinary(new byte[] { 1, 2, 3, 4, 5 }, 2);
		});
		this.contextRunner.withUserConfiguration(PartialListener.class).run((context) -> {
			PartialListener listener = context.getBean(PartialListener.class);
			assertThat(listener.text.await(3)).containsExactly("abcd", "efgh", "ij");
			assertThat(listener.textLast.items()).containsExactly(false, false, true);
			assertThat(listener.binary.await(3)).containsExactly(new byte[] { 1, 2 }, new byte[] { 3, 4 },
					new byte[] { 5 });
			assertThat(listener.binaryLast.items()).containsExactly(false, false, true);
		});
	}

	@Test
	void partialListenerReceivesAnUnfragmentedMessageAsOneLastFragment() {
		sendOnConnect((connection) -> connection.sendText("whole"));
		this.contextRunner.withUserConfiguration(PartialListener.class).run((context) -> {
			PartialListener listener = context.getBean(PartialListener.class);
			assertThat(listener.text.await(1)).containsExactly("whole");
			assertThat(listener.textLast.items()).containsExactly(true);
		});
	}

	@Test
	void stringReturnValueIsSentBackAsText() {
		sendOnConnect((connection) -> connection.sendText("ping"));
		this.contextRunner.withUserConfiguration(TextReplyListener.class).run((context) -> {
			WsTestConnection connection = server.awaitConnection();
			WsTestFrame reply = connection.awaitFrame((frame) -> frame.isText() || frame.isBinary());
			assertThat(reply.isText()).isTrue();
			assertThat(reply.text()).isEqualTo("pong ping");
		});
	}

	@Test
	void byteArrayAndByteBufferReturnValuesAreSentBackAsBinary() {
		sendOnConnect((connection) -> {
			connection.sendBinary(new byte[] { 1 });
			connection.sendBinary(new byte[] { 2 });
		});
		this.contextRunner.withUserConfiguration(BinaryReplyListener.class).run((context) -> {
			WsTestConnection connection = server.awaitConnection();
			List<byte[]> replies = connection.awaitBinaries(2);
			assertThat(replies).containsExactly(new byte[] { 1, 1 }, new byte[] { 2, 2 });
			assertThat(connection.texts()).isEmpty();
		});
	}

	@Test
	void objectReturnValueIsSentBackAsJson() {
		sendOnConnect((connection) -> connection.sendText("{\"symbol\":\"ACME\",\"price\":12.5}"));
		this.contextRunner.withUserConfiguration(AckListener.class).run((context) -> {
			assertThat(server.awaitConnection().awaitTexts(1))
				.containsExactly("{\"symbol\":\"ACME\",\"accepted\":true}");
		});
	}

	@Test
	void completableFutureReturnValueIsSentBackWhenItCompletes() {
		sendOnConnect((connection) -> connection.sendText("{\"symbol\":\"ACME\",\"price\":12.5}"));
		this.contextRunner.withUserConfiguration(FutureListener.class).run((context) -> {
			FutureListener listener = context.getBean(FutureListener.class);
			CompletableFuture<Ack> pending = listener.futures.await(1).get(0);
			WsTestConnection connection = server.awaitConnection();
			assertThat(connection.texts()).isEmpty();
			CompletableFuture.runAsync(() -> pending.complete(new Ack("ACME", true)));
			assertThat(connection.awaitTexts(1)).containsExactly("{\"symbol\":\"ACME\",\"accepted\":true}");
		});
	}

	@Test
	void nullReturnValueSendsNothing() {
		sendOnConnect((connection) -> {
			connection.sendText("nothing to say");
			connection.sendText("say something");
		});
		this.contextRunner.withUserConfiguration(SometimesReplyListener.class).run((context) -> {
			WsTestConnection connection = server.awaitConnection();
			assertThat(connection.awaitTexts(1)).containsExactly("said: say something");
			assertThat(context.getBean(SometimesReplyListener.class).received.await(2)).hasSize(2);
		});
	}

	private static void sendOnConnect(Consumer<WsTestConnection> script) {
		server.onConnect(script);
	}

	record Ack(String symbol, boolean accepted) {
	}

	static class TextListener {

		final Inbox<String> received = new Inbox<>();

		@WsListener("feed")
		void onText(String text) {
			this.received.add(text);
		}

	}

	static class BytesListener {

		final Inbox<byte[]> received = new Inbox<>();

		@WsListener("feed")
		void onBinary(byte[] data) {
			this.received.add(data);
		}

	}

	static class ByteBufferListener {

		final Inbox<ByteBuffer> received = new Inbox<>();

		@WsListener("feed")
		void onBinary(ByteBuffer data) {
			this.received.add(data);
		}

	}

	static class MessageListener {

		final Inbox<WsMessage> received = new Inbox<>();

		@WsListener("feed")
		void onMessage(WsMessage message) {
			this.received.add(message);
		}

	}

	static class TradeListener {

		final Inbox<Trade> received = new Inbox<>();

		@WsListener("feed")
		void onTrade(Trade trade) {
			this.received.add(trade);
		}

	}

	static class TradeListListener {

		final Inbox<List<Trade>> received = new Inbox<>();

		@WsListener("feed")
		void onTrades(List<Trade> trades) {
			this.received.add(trades);
		}

	}

	static class ClientListener {

		final Inbox<WsClient> clients = new Inbox<>();

		@WsListener("feed")
		void onText(WsClient client, String text) {
			this.clients.add(client);
			client.sendText("seen " + text);
		}

	}

	static class PartialListener {

		final Inbox<String> text = new Inbox<>();

		final Inbox<Boolean> textLast = new Inbox<>();

		final Inbox<byte[]> binary = new Inbox<>();

		final Inbox<Boolean> binaryLast = new Inbox<>();

		@WsListener(value = "feed", partial = true)
		void onTextPart(String part, boolean last) {
			this.text.add(part);
			this.textLast.add(last);
		}

		@WsListener(value = "feed", partial = true)
		void onBinaryPart(boolean last, byte[] part) {
			this.binary.add(part);
			this.binaryLast.add(last);
		}

	}

	static class TextReplyListener {

		@WsListener("feed")
		String onText(String text) {
			return "pong " + text;
		}

	}

	static class BinaryReplyListener {

		@WsListener("feed")
		Object onBinary(byte[] data) {
			byte[] reply = { data[0], data[0] };
			return (data[0] == 1) ? reply : ByteBuffer.wrap(reply);
		}

	}

	static class AckListener {

		@WsListener("feed")
		Ack onTrade(Trade trade) {
			return new Ack(trade.symbol(), true);
		}

	}

	static class FutureListener {

		final Inbox<CompletableFuture<Ack>> futures = new Inbox<>();

		@WsListener("feed")
		CompletableFuture<Ack> onTrade(Trade trade) {
			CompletableFuture<Ack> future = new CompletableFuture<>();
			this.futures.add(future);
			return future;
		}

	}

	static class SometimesReplyListener {

		final Inbox<String> received = new Inbox<>();

		@WsListener("feed")
		String onText(String text) {
			this.received.add(text);
			return text.startsWith("say") ? "said: " + text : null;
		}

	}

}
