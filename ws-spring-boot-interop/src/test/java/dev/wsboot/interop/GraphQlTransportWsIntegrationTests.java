package dev.wsboot.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsRequestException;
import dev.wsboot.client.WsSendException;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.listener.WsListenerErrorHandler;
import dev.wsboot.listener.WsListenerFailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A graphql-transport-ws client written on the starter, as an application writes it
 * ({@link TicksClient}: the whole protocol in one bean and the configuration below),
 * against a real Spring for GraphQL server ({@link GraphQlServer}). The example in
 * {@code docs/protocols.md} is this code.
 */
class GraphQlTransportWsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private GraphQlServer server;

	@BeforeEach
	void startServer() {
		this.server = new GraphQlServer();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner client() {
		return client("tyrus");
	}

	private ApplicationContextRunner client(String transport) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
			.withBean(TicksClient.class)
			.withBean(RecordingErrorHandler.class)
			.withPropertyValues("ws.shutdown-timeout=2s", "ws.clients.graphql.transport=" + transport)
			// the application.yml of docs/protocols.md
			.withPropertyValues("ws.clients.graphql.url=" + this.server.url(),
					"ws.clients.graphql.subprotocols=graphql-transport-ws", "ws.clients.graphql.ready-on=application",
					"ws.clients.graphql.correlation.request-id=/id", "ws.clients.graphql.correlation.reply-id=/id",
					"ws.clients.graphql.correlation.reply-payload=/payload/data",
					"ws.clients.graphql.correlation.error=/payload/errors",
					"ws.clients.graphql.reconnect.initial-delay=100ms", "ws.clients.graphql.reconnect.max-delay=500ms");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void subscriptionSentBeforeTheAcknowledgementIsHeldUntilItAndReceivesTicksInOrder(String transport) {
		client(transport).run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			TicksClient ticks = context.getBean(TicksClient.class);
			await().atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> this.server.received().contains("connection_init"));
			boolean readyWhenSubscribing = graphql.isReady();
			ticks.subscribe(graphql);
			await().atMost(TIMEOUT).until(() -> ticks.handled.size() >= 10);
			assertThat(readyWhenSubscribing).as("the subscribe was sent before connection_ack").isFalse();
			assertThat(this.server.received()).startsWith("connection_init", "connection_ack", "subscribe:ticks");
			assertThat(graphql.subprotocol()).contains("graphql-transport-ws");
			assertThat(List.copyOf(ticks.handled).subList(0, 10))
				.containsExactly(LongStream.rangeClosed(1, 10).boxed().toArray(Long[]::new));
			assertThat(context.getBean(RecordingErrorHandler.class).failures).isEmpty();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void afterAServerRestartTheClientReinitializesAndResubscribesAndHandlesNoTickTwice(String transport) {
		client(transport).run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			TicksClient ticks = context.getBean(TicksClient.class);
			ticks.subscribe(graphql);
			await().atMost(TIMEOUT).until(() -> ticks.handled.size() >= 5);
			this.server.stop();
			await().atMost(TIMEOUT).until(() -> !graphql.isOpen());
			int beforeRestart = ticks.handled.size();
			this.server.restart();
			await().atMost(TIMEOUT).until(() -> ticks.handled.size() >= beforeRestart + 5);
			List<Long> handled = List.copyOf(ticks.handled);
			assertThat(handled).as("every tick handled once, in order, none lost across the restart")
				.containsExactly(LongStream.rangeClosed(1, handled.size()).boxed().toArray(Long[]::new));
			assertThat(ticks.connections).hasValue(2);
			assertThat(this.server.received()).containsSubsequence("connection_init", "connection_ack",
					"subscribe:ticks", "connection_init", "connection_ack", "subscribe:ticks");
			assertThat(this.server.received()).filteredOn("subscribe:ticks"::equals).hasSize(2);
			assertThat(context.getBean(RecordingErrorHandler.class).failures).isEmpty();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void aQueryIsARequestAnsweredByItsNextMessageAndItsCompleteIsHarmless(String transport) {
		client(transport).run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			TicksClient ticks = context.getBean(TicksClient.class);
			GraphQlMessage query = GraphQlMessage.subscribe(null, "query($name: String!) { greeting(name: $name) }",
					Map.of("name", "Ada"));
			Greeting greeting = graphql.request(query, Greeting.class).get(20, TimeUnit.SECONDS);
			assertThat(greeting.greeting()).isEqualTo("Hello, Ada!");
			GraphQlMessage named = GraphQlMessage.subscribe("query-7", "{ greeting(name: \"Grace\") }", null);
			assertThat(graphql.request(named, Greeting.class).get(20, TimeUnit.SECONDS).greeting())
				.isEqualTo("Hello, Grace!");
			await().atMost(TIMEOUT).until(() -> ticks.completed.size() == 2);
			assertThat(ticks.completed).containsExactly("1", "query-7");
			assertThat(graphql.isReady()).isTrue();
			assertThat(context.getBean(RecordingErrorHandler.class).failures).isEmpty();
		});
	}

	@Test
	void fortyConcurrentQueriesAnsweredOutOfOrderEachCompleteWithTheirOwnReply() {
		client().run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			List<Integer> completionOrder = new CopyOnWriteArrayList<>();
			List<CompletableFuture<Greeting>> replies = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				int n = i;
				GraphQlMessage query = GraphQlMessage.subscribe(null,
						"query($name: String!, $delay: Int) { greeting(name: $name, delayMs: $delay) }",
						Map.of("name", "caller " + n, "delay", (40 - n) * 10));
				replies.add(graphql.request(query, Greeting.class).whenComplete((reply, ex) -> completionOrder.add(n)));
			}
			for (int i = 0; i < 40; i++) {
				assertThat(replies.get(i).get(20, TimeUnit.SECONDS).greeting()).isEqualTo("Hello, caller " + i + "!");
			}
			List<Integer> sentOrder = completionOrder.stream().sorted().toList();
			assertThat(completionOrder).as("answered out of order").hasSize(40).isNotEqualTo(sentOrder);
		});
	}

	@Test
	void aQueryInFlightWhenTheServerStopsFailsAtOnce() {
		client().run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			await().atMost(TIMEOUT).until(graphql::isReady);
			GraphQlMessage slow = GraphQlMessage.subscribe(null, "{ greeting(name: \"Ada\", delayMs: 10000) }", null);
			CompletableFuture<Greeting> reply = graphql.request(slow, Greeting.class);
			await().atMost(TIMEOUT).until(() -> this.server.received().size() >= 3);
			long stopping = System.nanoTime();
			this.server.stop();
			assertThat(reply).failsWithin(TIMEOUT)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(WsSendException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(8));
		});
	}

	@Test
	void aQueryWithFieldErrorsFailsTheRequestWithTheErrors() {
		client().run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			GraphQlMessage query = GraphQlMessage.subscribe(null, "{ greeting(name: null) }", null);
			assertThat(graphql.request(query, Greeting.class)).failsWithin(TIMEOUT)
				.withThrowableThat()
				.havingCause()
				.isInstanceOfSatisfying(WsRequestException.class,
						(ex) -> assertThat(ex.errorJson()).contains("greeting"));
		});
	}

	@Test
	void aFailingSubscriptionReachesTheErrorListenerWithItsId() {
		client().run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			TicksClient ticks = context.getBean(TicksClient.class);
			graphql.sendObject(GraphQlMessage.subscribe("broken", TicksClient.TICKS, Map.of("after", -1)));
			await().atMost(TIMEOUT).until(() -> !ticks.errors.isEmpty());
			assertThat(ticks.errors.get(0)).startsWith("broken: ").contains("after must not be negative");
			assertThat(graphql.isOpen()).isTrue();
		});
	}

	@Test
	void theServersPingsAreAnsweredWithPongsAndTheConnectionStaysUp() {
		client().run((context) -> {
			WsClient graphql = context.getBean("graphql", WsClient.class);
			TicksClient ticks = context.getBean(TicksClient.class);
			await().atMost(TIMEOUT).until(() -> ticks.pings.get() >= 3);
			assertThat(ticks.connections).hasValue(1);
			assertThat(graphql.isReady()).isTrue();
		});
	}

	/**
	 * The application's graphql-transport-ws client: {@code connection_init} on every new
	 * connection, {@code ready()} on {@code connection_ack}, the subscription resumed
	 * after the last tick handled when a connection is acknowledged again, {@code pong}
	 * for {@code ping}.
	 */
	static class TicksClient {

		static final String TICKS = "subscription($after: Int!) { ticks(after: $after) { seq } }";

		final List<Long> handled = new CopyOnWriteArrayList<>();

		final List<String> completed = new CopyOnWriteArrayList<>();

		final List<String> errors = new CopyOnWriteArrayList<>();

		final AtomicInteger pings = new AtomicInteger();

		final AtomicInteger connections = new AtomicInteger();

		private volatile boolean subscribed;

		private volatile long lastSeq;

		/**
		 * Subscribe once; the ready gate holds it until the server acknowledged the
		 * connection.
		 */
		void subscribe(WsClient graphql) {
			this.subscribed = true;
			graphql.sendObject(GraphQlMessage.subscribe("ticks", TICKS, Map.of("after", this.lastSeq)));
		}

		@EventListener
		void opened(WsClientOpenedEvent event) {
			if (event.client().name().equals("graphql")) {
				this.connections.incrementAndGet();
				event.client().sendObject(GraphQlMessage.of("connection_init"));
			}
		}

		@WsListener(value = "graphql", match = "/type=connection_ack")
		void acknowledged(WsClient graphql) {
			if (this.subscribed && this.connections.get() > 1) {
				// a new connection: resume after the last tick handled
				graphql.sendObject(GraphQlMessage.subscribe("ticks", TICKS, Map.of("after", this.lastSeq)));
			}
			graphql.ready();
		}

		@WsListener(value = "graphql", match = { "/type=next", "/id=ticks" }, payload = "/payload/data/ticks")
		void tick(Tick tick) {
			this.handled.add(tick.seq());
			this.lastSeq = tick.seq();
		}

		@WsListener(value = "graphql", match = "/type=complete")
		void complete(JsonNode message) {
			// also the end of each query answered through request(..): nothing to do
			this.completed.add(message.path("id").asString());
		}

		@WsListener(value = "graphql", match = "/type=error")
		void error(JsonNode message) {
			this.errors.add(message.path("id").asString() + ": " + message.path("payload"));
		}

		@WsListener(value = "graphql", match = "/type=ping")
		GraphQlMessage ping() {
			this.pings.incrementAndGet();
			return GraphQlMessage.of("pong");
		}

	}

	/** A graphql-transport-ws message. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record GraphQlMessage(String id, String type, Object payload) {

		static GraphQlMessage of(String type) {
			return new GraphQlMessage(null, type, null);
		}

		static GraphQlMessage subscribe(String id, String query, Map<String, Object> variables) {
			return new GraphQlMessage(id, "subscribe",
					(variables != null) ? Map.of("query", query, "variables", variables) : Map.of("query", query));
		}

	}

	record Tick(long seq) {

	}

	record Greeting(String greeting) {

	}

	static class RecordingErrorHandler implements WsListenerErrorHandler {

		final List<WsListenerFailure> failures = new CopyOnWriteArrayList<>();

		@Override
		public void handleError(WsListenerFailure failure) {
			this.failures.add(failure);
		}

	}

}
