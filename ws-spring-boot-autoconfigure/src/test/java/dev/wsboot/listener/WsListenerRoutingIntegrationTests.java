package dev.wsboot.listener;

import java.io.Reader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @WsListener(match, payload)} end to end: a server speaking a Discord-style
 * gateway protocol on a loopback port, listeners routed by JSON Pointer, one parse per
 * message, and the spring-messaging parameters ({@code @Header}, {@code @Payload},
 * {@code Message<?>}, {@code @Valid}).
 */
class WsListenerRoutingIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private static final List<String> GATEWAY = List.of("{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}",
			"{\"t\":\"READY\",\"s\":1,\"op\":0,\"d\":{\"session_id\":\"abc\",\"v\":10}}",
			"{\"t\":\"MESSAGE_CREATE\",\"s\":2,\"op\":0,\"d\":{\"id\":\"1\",\"content\":\"hi\"}}",
			"{\"op\":11,\"d\":null}",
			"{\"t\":\"MESSAGE_CREATE\",\"s\":3,\"op\":0,\"d\":{\"id\":\"2\",\"content\":\"again\"}}",
			"{\"t\":\"TYPING_START\",\"s\":4,\"op\":0,\"d\":{\"user_id\":\"9\"}}");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class))
		.withUserConfiguration(CountingJsonConfiguration.class)
		.withPropertyValues("ws.clients.discord.url=" + server.url("/gateway"));

	@AfterEach
	void resetServer() {
		server.reset();
		NeverMatched.created.set(0);
	}

	@Test
	void listenersReceiveOnlyMessagesMatchingAllConditionsWithTheSelectedPartConverted() {
		sendOnConnect((connection) -> GATEWAY.forEach(connection::sendText));
		this.contextRunner.withUserConfiguration(DiscordBot.class).run((context) -> {
			DiscordBot bot = context.getBean(DiscordBot.class);
			assertThat(bot.frames.await(GATEWAY.size())).extracting(Frame::op).containsExactly(10, 0, 0, 11, 0, 0);
			assertThat(bot.created.await(2)).containsExactly(new MessageCreate("1", "hi"),
					new MessageCreate("2", "again"));
			assertThat(bot.acks.await(1)).containsExactly("ack");
			assertThat(bot.hello.await(1)).containsExactly(41250L);
			assertThat(bot.created.items()).hasSize(2);
			assertThat(bot.acks.items()).hasSize(1);
		});
	}

	@Test
	void genericEnvelopeBindsFromTheMethodsGenericParameterType() {
		sendOnConnect((connection) -> GATEWAY.forEach(connection::sendText));
		this.contextRunner.withUserConfiguration(DiscordBot.class).run((context) -> {
			DiscordBot bot = context.getBean(DiscordBot.class);
			Envelope<Ready> ready = bot.ready.await(1).get(0);
			assertThat(ready.op()).isZero();
			assertThat(ready.s()).isEqualTo(1);
			assertThat(ready.d()).isEqualTo(new Ready("abc", 10));
		});
	}

	@Test
	void textMessageIsParsedOnceHoweverManyListenersReadIt() {
		sendOnConnect((connection) -> GATEWAY.forEach(connection::sendText));
		this.contextRunner.withUserConfiguration(DiscordBot.class).run((context) -> {
			DiscordBot bot = context.getBean(DiscordBot.class);
			bot.frames.await(GATEWAY.size());
			bot.texts.await(GATEWAY.size());
			// seven listeners read JSON (six match, one converts every message): one
			// parse per message
			assertThat(context.getBean(CountingJsonFactory.class).parses).hasValue(GATEWAY.size());
		});
	}

	@Test
	void listenerThatDoesNotMatchIsNeitherInvokedNorConvertedFor() {
		sendOnConnect((connection) -> GATEWAY.forEach(connection::sendText));
		this.contextRunner.withUserConfiguration(DiscordBot.class).run((context) -> {
			DiscordBot bot = context.getBean(DiscordBot.class);
			bot.frames.await(GATEWAY.size());
			bot.texts.await(GATEWAY.size());
			assertThat(bot.invalidSessions.items()).isEmpty();
			assertThat(NeverMatched.created).hasValue(0);
		});
	}

	@Test
	void clientNameAndMatchedValuesAreMessageHeaders() {
		sendOnConnect((connection) -> GATEWAY.forEach(connection::sendText));
		this.contextRunner.withUserConfiguration(HeadersBot.class).run((context) -> {
			HeadersBot bot = context.getBean(HeadersBot.class);
			assertThat(bot.seen.await(2)).containsExactly("discord MESSAGE_CREATE 0 hi",
					"discord MESSAGE_CREATE 0 again");
			Map<String, Object> headers = bot.headers.await(1).get(0);
			assertThat(headers).containsEntry(WsMessageHeaders.CLIENT, "discord")
				.containsEntry(WsMessageHeaders.MATCH_PREFIX + "/op", "11");
			Message<?> message = bot.messages.await(1).get(0);
			assertThat(message.getPayload()).isEqualTo(new Ready("abc", 10));
			assertThat(message.getHeaders()).containsEntry(WsMessageHeaders.CLIENT, "discord")
				.containsEntry(WsMessageHeaders.MATCH_PREFIX + "/t", "READY");
		});
	}

	@Test
	void invalidPayloadIsAListenerFailureAndTheConnectionStaysOpen() {
		sendOnConnect((connection) -> {
			connection.sendText("{\"t\":\"MESSAGE_CREATE\",\"op\":0,\"d\":{\"id\":\"1\",\"content\":\"\"}}");
			connection.sendText("{\"t\":\"MESSAGE_CREATE\",\"op\":0,\"d\":{\"id\":\"2\",\"content\":\"ok\"}}");
		});
		this.contextRunner.withUserConfiguration(ValidatingBot.class, ValidationConfiguration.class).run((context) -> {
			ValidatingBot bot = context.getBean(ValidatingBot.class);
			assertThat(bot.valid.await(1)).containsExactly(new MessageCreate("2", "ok"));
			RecordingErrorHandler errors = context.getBean(RecordingErrorHandler.class);
			assertThat(errors.failures).singleElement().satisfies((failure) -> {
				assertThat(failure.listener()).isEqualTo("ValidatingBot.onMessage");
				assertThat(failure.cause()).isInstanceOf(MethodArgumentNotValidException.class)
					.hasMessageContaining("content must not be empty");
			});
			assertThat(context.getBean("discord", WsClient.class).isOpen()).isTrue();
		});
	}

	@Test
	void invalidPayloadPointerFailsStartUpNamingBeanMethodAndAttribute() {
		this.contextRunner.withUserConfiguration(InvalidPointerBot.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(WsListenerConfigurationException.class)
				.rootCause()
				.hasMessageContaining("on bean 'wsListenerRoutingIntegrationTests.InvalidPointerBot'")
				.hasMessageContaining("InvalidPointerBot#onMessage(MessageCreate)")
				.hasMessageContaining("has payload pointer 'd', which is not a JSON Pointer");
		});
	}

	private static void sendOnConnect(Consumer<WsTestConnection> script) {
		server.onConnect(script);
	}

	record Frame(int op, String t) {
	}

	record MessageCreate(String id, String content) {
	}

	record Ready(@JsonProperty("session_id") String sessionId, int v) {
	}

	record Envelope<T>(int op, String t, int s, T d) {
	}

	/** Counts its own instances: a listener that does not match must not convert. */
	static final class NeverMatched {

		static final AtomicInteger created = new AtomicInteger();

		@JsonCreator
		NeverMatched(@JsonProperty("x") String x) {
			created.incrementAndGet();
		}

	}

	static class DiscordBot {

		final Inbox<Frame> frames = new Inbox<>();

		final Inbox<String> texts = new Inbox<>();

		final Inbox<MessageCreate> created = new Inbox<>();

		final Inbox<Envelope<Ready>> ready = new Inbox<>();

		final Inbox<String> acks = new Inbox<>();

		final Inbox<Long> hello = new Inbox<>();

		final Inbox<NeverMatched> invalidSessions = new Inbox<>();

		@WsListener("discord")
		void onFrame(Frame frame) {
			this.frames.add(frame);
		}

		@WsListener("discord")
		void onText(String text) {
			this.texts.add(text);
		}

		@WsListener(value = "discord", match = { "/op=0", "/t=MESSAGE_CREATE" }, payload = "/d")
		void onMessage(MessageCreate message) {
			this.created.add(message);
		}

		@WsListener(value = "discord", match = { "/op=0", "/t=READY" })
		void onReady(Envelope<Ready> envelope) {
			this.ready.add(envelope);
		}

		@WsListener(value = "discord", match = "/op=11")
		void onAck() {
			this.acks.add("ack");
		}

		@WsListener(value = "discord", match = "/op=10", payload = "/d/heartbeat_interval")
		void onHello(long interval) {
			this.hello.add(interval);
		}

		@WsListener(value = "discord", match = "/op=9", payload = "/d")
		void onInvalidSession(NeverMatched invalid) {
			this.invalidSessions.add(invalid);
		}

	}

	static class HeadersBot {

		final Inbox<String> seen = new Inbox<>();

		final Inbox<Map<String, Object>> headers = new Inbox<>();

		final Inbox<Message<Ready>> messages = new Inbox<>();

		@WsListener(value = "discord", match = { "/op=0", "/t=MESSAGE_CREATE" }, payload = "/d")
		void onMessage(@Payload MessageCreate message, @Header(WsMessageHeaders.CLIENT) String client,
				@Header(WsMessageHeaders.MATCH_PREFIX + "/t") String type,
				@Header(WsMessageHeaders.MATCH_PREFIX + "/op") int op) {
			this.seen.add(client + " " + type + " " + op + " " + message.content());
		}

		@WsListener(value = "discord", match = "/op=11")
		void onAck(@Headers Map<String, Object> headers) {
			this.headers.add(Map.copyOf(headers));
		}

		@WsListener(value = "discord", match = "/t=READY", payload = "/d")
		void onReady(Message<Ready> message) {
			this.messages.add(message);
		}

	}

	static class InvalidPointerBot {

		@WsListener(value = "discord", match = "/op=0", payload = "d")
		void onMessage(MessageCreate message) {
		}

	}

	static class ValidatingBot {

		final Inbox<MessageCreate> valid = new Inbox<>();

		@WsListener(value = "discord", match = "/t=MESSAGE_CREATE", payload = "/d")
		void onMessage(@Valid @Payload MessageCreate message) {
			this.valid.add(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ValidationConfiguration {

		@Bean
		Validator validator() {
			return new Validator() {

				@Override
				public boolean supports(Class<?> type) {
					return type == MessageCreate.class;
				}

				@Override
				public void validate(Object target, Errors errors) {
					if (((MessageCreate) target).content().isEmpty()) {
						errors.rejectValue("content", "empty", "content must not be empty");
					}
				}

			};
		}

		@Bean
		RecordingErrorHandler errorHandler() {
			return new RecordingErrorHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingJsonConfiguration {

		@Bean
		CountingJsonFactory countingJsonFactory() {
			return new CountingJsonFactory();
		}

		@Bean
		JsonMapper jsonMapper(CountingJsonFactory factory) {
			return JsonMapper.builder(factory).build();
		}

	}

	/** Counts the JSON texts parsed, whatever reads them (trees, readers, mappers). */
	static final class CountingJsonFactory extends JsonFactory {

		private static final long serialVersionUID = 1L;

		final AtomicInteger parses = new AtomicInteger();

		@Override
		protected JsonParser _createParser(ObjectReadContext context, IOContext ioContext, char[] data, int offset,
				int length, boolean recyclable) {
			this.parses.incrementAndGet();
			return super._createParser(context, ioContext, data, offset, length, recyclable);
		}

		@Override
		protected JsonParser _createParser(ObjectReadContext context, IOContext ioContext, byte[] data, int offset,
				int length) {
			this.parses.incrementAndGet();
			return super._createParser(context, ioContext, data, offset, length);
		}

		@Override
		protected JsonParser _createParser(ObjectReadContext context, IOContext ioContext, Reader data) {
			this.parses.incrementAndGet();
			return super._createParser(context, ioContext, data);
		}

		@Override
		public JsonFactory copy() {
			return this;
		}

	}

}
