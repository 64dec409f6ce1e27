package dev.wsboot.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.metrics.WsClientMetrics;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link WsClient#request(Object, Class)} end to end against a JSON-RPC 2.0 style server
 * on a loopback port: ids written and matched, replies out of order, the error pointer,
 * timeouts, lost connections, and replies kept from listeners while notifications reach
 * them.
 */
class WsClientRequestIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withUserConfiguration(NotificationListener.class)
		.withPropertyValues("ws.clients.rpc.url=" + server.url("/rpc"), "ws.clients.rpc.correlation.request-id=/id",
				"ws.clients.rpc.correlation.reply-payload=/result", "ws.clients.rpc.correlation.error=/error");

	@BeforeEach
	void answerOnlyWhatTheTestSends() {
		server.onConnect((connection) -> {
		});
	}

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@Test
	void fortyConcurrentRequestsAnsweredOutOfOrderCompleteWithTheirOwnResults() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = metered(context.getBean(WsClients.class));
			WsClient rpc = context.getBean("rpc", WsClient.class);
			List<CompletableFuture<Integer>> replies = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				replies.add(rpc.request(new RpcCall("2.0", "add", List.of(i, 1000)), Integer.class));
			}
			WsTestConnection connection = server.awaitConnection();
			List<JsonNode> requests = new ArrayList<>(connection.awaitTexts(40).stream().map(json::readTree).toList());
			assertThat(requests).extracting((request) -> request.get("id").asLong())
				.containsExactlyInAnyOrderElementsOf(() -> java.util.stream.LongStream.rangeClosed(1, 40).iterator());
			Collections.shuffle(requests, new Random(42));
			for (JsonNode request : requests) {
				long id = request.get("id").asLong();
				int sum = request.get("params").get(0).asInt() + request.get("params").get(1).asInt();
				// every other reply carries its id as a string: ids are compared as text
				String idJson = (id % 2 == 0) ? "\"" + id + "\"" : Long.toString(id);
				connection.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"result\":" + sum + "}");
				if (id == 20) {
					connection.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"n\":1}}");
				}
			}
			for (int i = 0; i < 40; i++) {
				assertThat(replies.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1000);
			}
			NotificationListener listener = context.getBean(NotificationListener.class);
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !listener.texts.isEmpty());
			connection.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"n\":2}}");
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.texts.size() == 2);
			assertThat(listener.texts).allSatisfy((text) -> assertThat(text).contains("eth_subscription"));
			Timer timer = timer(registry, "success");
			assertThat(timer.count()).isEqualTo(40);
			assertThat(timer.max(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(registry.find("ws.client.requests").tag("outcome", "error").timer()).isNull();
		});
	}

	@Test
	void requestKeepsAnIdItAlreadyHasAndReplyPayloadCanBeReadAsJson() {
		this.contextRunner.run((context) -> {
			WsClient rpc = context.getBean("rpc", WsClient.class);
			CompletableFuture<JsonNode> reply = rpc.request("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"m\"}",
					JsonNode.class);
			WsTestConnection connection = server.awaitConnection();
			assertThat(json.readTree(connection.awaitTexts(1).get(0)).get("id").asString()).isEqualTo("abc");
			connection.sendText("{\"id\":\"abc\",\"result\":{\"block\":7}}");
			assertThat(reply.get(10, TimeUnit.SECONDS).get("block").asInt()).isEqualTo(7);
		});
	}

	@Test
	void replyWithAnErrorFailsTheRequestWithTheErrorJson() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = metered(context.getBean(WsClients.class));
			WsClient rpc = context.getBean("rpc", WsClient.class);
			CompletableFuture<Integer> reply = rpc.request(new RpcCall("2.0", "nope", List.of()), Integer.class);
			WsTestConnection connection = server.awaitConnection();
			connection.awaitTexts(1);
			connection.sendText(
					"{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
			Throwable failure = catchThrowable(() -> reply.get(10, TimeUnit.SECONDS));
			assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WsRequestException.class);
			WsRequestException ex = (WsRequestException) failure.getCause();
			assertThat(ex.errorJson()).isEqualTo("{\"code\":-32601,\"message\":\"Method not found\"}");
			assertThat(ex.requestId()).isEqualTo("1");
			assertThat(ex.clientName()).isEqualTo("rpc");
			assertThat(timer(registry, "error").count()).isEqualTo(1);
			assertThat(context.getBean(NotificationListener.class).texts).isEmpty();
		});
	}

	@Test
	void requestWithoutReplyFailsWithATimeoutExceptionAfterTheTimeout() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = metered(context.getBean(WsClients.class));
			WsClient rpc = context.getBean("rpc", WsClient.class);
			server.awaitConnection();
			long started = System.nanoTime();
			CompletableFuture<Integer> reply = rpc.request(new RpcCall("2.0", "slow", List.of()), Integer.class,
					Duration.ofSeconds(1));
			Throwable failure = catchThrowable(() -> reply.get(10, TimeUnit.SECONDS));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
			Timer timer = timer(registry, "timeout");
			assertThat(timer.count()).isEqualTo(1);
			assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(1000);
		});
	}

	@Test
	void pendingRequestsFailAtOnceWhenTheirConnectionEnds() {
		this.contextRunner.withPropertyValues("ws.clients.rpc.correlation.timeout=60s").run((context) -> {
			MeterRegistry registry = metered(context.getBean(WsClients.class));
			WsClient rpc = context.getBean("rpc", WsClient.class);
			CompletableFuture<Integer> reply = rpc.request(new RpcCall("2.0", "m", List.of()), Integer.class);
			WsTestConnection connection = server.awaitConnection();
			connection.awaitTexts(1);
			connection.dropTcp();
			Throwable failure = catchThrowable(() -> reply.get(10, TimeUnit.SECONDS));
			assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WsSendException.class);
			assertThat(timer(registry, "connection-lost").count()).isEqualTo(1);
		});
	}

	@Test
	void requestMadeWhileDisconnectedIsQueuedAndAnsweredOnTheNextConnection() {
		this.contextRunner.withPropertyValues("ws.clients.rpc.auto-startup=false").run((context) -> {
			WsClient rpc = context.getBean("rpc", WsClient.class);
			CompletableFuture<Integer> reply = rpc.request(new RpcCall("2.0", "m", List.of()), Integer.class);
			rpc.connect();
			WsTestConnection connection = server.awaitConnection();
			connection.awaitTexts(1);
			connection.sendText("{\"id\":1,\"result\":5}");
			assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(5);
		});
	}

	@Test
	void requestWithoutRequestIdFailsNamingTheProperty() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
			.withPropertyValues("ws.clients.plain.url=" + server.url("/plain"), "ws.clients.plain.auto-startup=false")
			.run((context) -> assertThatIllegalStateException()
				.isThrownBy(() -> context.getBean("plain", WsClient.class).request("{}", String.class))
				.withMessageContaining("ws.clients.plain.correlation.request-id"));
	}

	/** A registry the clients' meters are bound to before the test's requests. */
	private static MeterRegistry metered(WsClients clients) {
		MeterRegistry registry = new SimpleMeterRegistry();
		new WsClientMetrics(clients).bindTo(registry);
		return registry;
	}

	/** A real {@link Timer} (registered by the first request with the outcome). */
	private static Timer timer(MeterRegistry registry, String outcome) {
		Timer timer = registry.find("ws.client.requests").tag("client", "rpc").tag("outcome", outcome).timer();
		assertThat(timer).as("ws.client.requests timer with outcome " + outcome).isNotNull();
		return timer;
	}

	record RpcCall(String jsonrpc, String method, List<Object> params) {
	}

	static class NotificationListener {

		final List<String> texts = new CopyOnWriteArrayList<>();

		@WsListener("rpc")
		void onText(String text) {
			this.texts.add(text);
		}

	}

}
