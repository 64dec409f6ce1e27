package dev.wsboot.usecases;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsHeartbeat;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Use case: a Discord gateway bot. The starter runs the connection and routes each
 * gateway event by its {@code op} and {@code t} ({@code @WsListener(match, payload)});
 * the bot only makes the protocol's decisions: heartbeat on op 10, identify or resume,
 * {@code ready()} on READY or RESUMED, {@code redirect} to {@code resume_gateway_url},
 * {@code reconnect} on op 7 and op 9, and 4004 (authentication failed) is never retried
 * ({@code stop-on-close-codes}). Until READY, what the application sends waits
 * ({@code ready-on: application}), so presence updates never precede the identify. The
 * server is scripted like the real gateway. See {@code docs/protocols.md}.
 */
@SpringBootTest(classes = DiscordGatewayBotTests.App.class, webEnvironment = WebEnvironment.NONE,
		properties = { "ws.clients.discord.auto-startup=false", "ws.clients.discord.ready-on=application",
				"ws.clients.discord.reconnect.stop-on-close-codes=4004,4010-4014",
				"ws.clients.discord.reconnect.initial-delay=100ms", "discord.token=bot-token" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class DiscordGatewayBotTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	static final FakeGateway gateway = new FakeGateway(server);

	@DynamicPropertySource
	static void gatewayUrl(DynamicPropertyRegistry registry) {
		server.bindTo(registry, "discord", "/gateway?v=10&encoding=json");
	}

	@Autowired
	@Qualifier("discord")
	private WsClient discord;

	@Autowired
	private DiscordBot bot;

	@AfterEach
	void resetGateway() {
		gateway.reset();
	}

	@Test
	void identifiesBeforeAnythingTheApplicationSentAndResumesOnTheResumeUrlAfterOp7() {
		this.discord.sendObject(new Presence(3, Map.of("status", "online")));
		this.discord.connect();
		WsTestConnection first = server.awaitConnection();
		assertThat(first.handshake().path()).isEqualTo("/gateway");
		await().atMost(TIMEOUT).until(() -> this.bot.messages.contains("hello from the gateway"));
		await().atMost(TIMEOUT).until(() -> gateway.log.contains("presence online"));
		assertThat(gateway.log).containsSubsequence("identify bot-token", "READY session-1", "presence online");
		assertThat(this.discord.isReady()).isTrue();

		first.sendText("{\"op\":7,\"d\":null}");
		assertThat(first.awaitClose().closeCode()).as("resumable: not 1000").isEqualTo(4000);
		WsTestConnection second = server.awaitConnection();
		assertThat(second.handshake().path()).isEqualTo("/resume");
		assertThat(second.handshake().query()).isEqualTo("v=10&encoding=json");
		await().atMost(TIMEOUT).until(() -> this.bot.messages.contains("missed while away"));
		assertThat(gateway.log).contains("resume session-1 seq 2").doesNotContain("identify bot-token #2");
		assertThat(this.discord.url().getPath()).as("the configured URL").isEqualTo("/gateway");
	}

	@Test
	void aZombieConnectionIsDroppedAndTheSessionResumed() {
		this.discord.connect();
		WsTestConnection first = server.awaitConnection();
		await().atMost(TIMEOUT).until(() -> this.bot.messages.contains("hello from the gateway"));
		gateway.stopAcking(first);
		WsTestConnection second = server.awaitConnection();
		assertThat(first.frames()).noneMatch((frame) -> frame.isClose() && frame.closeCode() == 1000);
		assertThat(second.handshake().path()).isEqualTo("/resume");
		await().atMost(TIMEOUT).until(() -> gateway.log.contains("resume session-1 seq 2"));
		await().atMost(TIMEOUT).until(() -> this.bot.messages.contains("missed while away"));
	}

	@Test
	void anInvalidSessionStartsANewOneOnTheConfiguredUrl() {
		this.discord.connect();
		WsTestConnection first = server.awaitConnection();
		await().atMost(TIMEOUT).until(() -> this.bot.messages.contains("hello from the gateway"));
		first.sendText("{\"op\":9,\"d\":false}");
		WsTestConnection second = server.awaitConnection();
		assertThat(second.handshake().path()).isEqualTo("/gateway");
		await().atMost(TIMEOUT).until(() -> gateway.log.contains("READY session-2"));
		assertThat(gateway.log).filteredOn((line) -> line.startsWith("resume")).isEmpty();
		await().atMost(TIMEOUT).until(this.discord::isReady);
	}

	@Test
	void authenticationFailedIsNotRetried() {
		gateway.acceptedToken = "another-token";
		this.discord.connect();
		await().atMost(TIMEOUT).until(() -> this.discord.state() == WsClientState.CLOSED);
		await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> server.handshakes().size() == 1);
		assertThat(gateway.log).containsExactly("identify bot-token", "closed 4004");
	}

	record Presence(int op, Map<String, String> d) {
	}

	/**
	 * The bot: every decision of the protocol, and nothing about the connection. One
	 * listener per gateway event, routed by {@code op} and {@code t}, each receiving only
	 * its converted part of the message.
	 */
	@Component
	static class DiscordBot {

		final List<String> messages = new CopyOnWriteArrayList<>();

		private final String token;

		private volatile WsHeartbeat heartbeat;

		private volatile Integer sequence;

		private volatile String sessionId;

		DiscordBot(@Value("${discord.token}") String token) {
			this.token = token;
		}

		@WsListener(value = "discord", match = "/op=10", payload = "/d")
		void hello(Hello hello, WsClient discord) {
			this.heartbeat = discord.heartbeat(Duration.ofMillis(hello.heartbeatInterval()), this::beat);
			if (this.sessionId != null) {
				discord.sendObject(new Resume(6, new ResumeData(this.token, this.sessionId, this.sequence)));
			}
			else {
				discord.sendObject(new Identify(2, new IdentifyData(this.token, 513,
						Map.of("os", "linux", "browser", "ws-spring-boot", "device", "ws-spring-boot"))));
			}
		}

		@WsListener(value = "discord", match = "/op=11")
		void heartbeatAcknowledged() {
			this.heartbeat.acknowledged();
		}

		@WsListener(value = "discord", match = "/op=1")
		Heartbeat heartbeatRequested() {
			return beat();
		}

		@WsListener(value = "discord", match = "/op=0", payload = "/s")
		void dispatched(Integer sequence) {
			this.sequence = sequence;
		}

		@WsListener(value = "discord", match = { "/op=0", "/t=READY" })
		void ready(Dispatch<Ready> ready, WsClient discord) {
			this.sessionId = ready.d().sessionId();
			discord.redirect(URI.create(ready.d().resumeGatewayUrl() + "?v=10&encoding=json"));
			discord.ready();
		}

		@WsListener(value = "discord", match = { "/op=0", "/t=RESUMED" })
		void resumed(WsClient discord) {
			discord.ready();
		}

		@WsListener(value = "discord", match = { "/op=0", "/t=MESSAGE_CREATE" }, payload = "/d")
		void messageCreated(MessageCreate message) {
			this.messages.add(message.content());
		}

		@WsListener(value = "discord", match = "/op=7")
		void reconnectRequested(WsClient discord) {
			// a code other than 1000/1001 keeps the session resumable
			discord.reconnect(4000, "Reconnect requested");
		}

		@WsListener(value = "discord", match = "/op=9", payload = "/d")
		void invalidSession(boolean resumable, WsClient discord) {
			if (!resumable) {
				this.sessionId = null;
				this.sequence = null;
				discord.resetUrl();
			}
			discord.reconnect(resumable ? 4000 : 1000, "Invalid session");
		}

		private Heartbeat beat() {
			return new Heartbeat(1, this.sequence);
		}

		record Hello(@JsonProperty("heartbeat_interval") long heartbeatInterval) {
		}

		record Dispatch<T>(int op, String t, Integer s, T d) {
		}

		record Ready(@JsonProperty("session_id") String sessionId,
				@JsonProperty("resume_gateway_url") String resumeGatewayUrl) {
		}

		record MessageCreate(String content) {
		}

		record Heartbeat(int op, Integer d) {
		}

		record Identify(int op, IdentifyData d) {
		}

		record IdentifyData(String token, int intents, Map<String, String> properties) {
		}

		record Resume(int op, ResumeData d) {
		}

		record ResumeData(String token, @JsonProperty("session_id") String sessionId, Integer seq) {
		}

	}

	/**
	 * The server side, scripted like Discord's gateway: hello with the heartbeat
	 * interval, acks, READY with a {@code resume_gateway_url}, RESUMED with the events
	 * missed, and 4004 for a wrong token.
	 */
	static final class FakeGateway {

		static final int HEARTBEAT_INTERVAL = 1000;

		final List<String> log = new CopyOnWriteArrayList<>();

		volatile String acceptedToken = "bot-token";

		private final WsTestServer server;

		private final JsonMapper json = JsonMapper.builder().build();

		private final AtomicInteger sessions = new AtomicInteger();

		private final Set<WsTestConnection> silent = ConcurrentHashMap.newKeySet();

		FakeGateway(WsTestServer server) {
			this.server = server;
			server.onConnect(this::serve);
		}

		void stopAcking(WsTestConnection connection) {
			this.silent.add(connection);
		}

		void reset() {
			this.log.clear();
			this.sessions.set(0);
			this.silent.clear();
			this.acceptedToken = "bot-token";
			this.server.reset();
			this.server.onConnect(this::serve);
		}

		private void serve(WsTestConnection connection) {
			connection.sendText("{\"op\":10,\"d\":{\"heartbeat_interval\":" + HEARTBEAT_INTERVAL + "}}");
			connection.handleTexts((text) -> {
				JsonNode payload = this.json.readTree(text);
				JsonNode data = payload.path("d");
				switch (payload.path("op").asInt()) {
					case 1 -> {
						if (!this.silent.contains(connection)) {
							connection.sendText("{\"op\":11}");
						}
					}
					case 2 -> identify(connection, data.path("token").asString());
					case 3 -> this.log.add("presence " + data.path("status").asString());
					case 6 -> {
						this.log
							.add("resume " + data.path("session_id").asString() + " seq " + data.path("seq").asInt());
						connection.sendText("{\"op\":0,\"t\":\"RESUMED\",\"s\":3,\"d\":{}}");
						connection.sendText(message(4, "missed while away"));
					}
					default -> this.log.add("unexpected " + text);
				}
			});
		}

		private void identify(WsTestConnection connection, String token) {
			this.log.add("identify " + token + ((this.sessions.get() > 0) ? " #" + (this.sessions.get() + 1) : ""));
			if (!token.equals(this.acceptedToken)) {
				this.log.add("closed 4004");
				connection.close(4004, "Authentication failed.");
				return;
			}
			String session = "session-" + this.sessions.incrementAndGet();
			this.log.add("READY " + session);
			connection.sendText("{\"op\":0,\"t\":\"READY\",\"s\":1,\"d\":{\"session_id\":\"" + session
					+ "\",\"resume_gateway_url\":\"" + this.server.url("/resume").toString().replaceAll("/$", "")
					+ "\"}}");
			connection.sendText(message(2, "hello from the gateway"));
		}

		private static String message(int sequence, String content) {
			return "{\"op\":0,\"t\":\"MESSAGE_CREATE\",\"s\":" + sequence + ",\"d\":{\"content\":\"" + content + "\"}}";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(DiscordBot.class)
	static class App {

	}

}
