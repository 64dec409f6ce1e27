package dev.wsboot.interop;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import graphql.GraphqlErrorBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.stereotype.Controller;

import dev.wsboot.autoconfigure.WsAutoConfiguration;

/**
 * A real Spring for GraphQL server, as an application gets it from
 * {@code spring-boot-starter-graphql} with Spring MVC and WebSocket: the
 * graphql-transport-ws protocol at {@code /graphql} on 127.0.0.1, a {@code ticks}
 * subscription and a {@code greeting} query (schema
 * {@code graphql-ticks/ticks.graphqls}). It can be stopped and started again on the same
 * port. What the server received, in order, is in {@link #received()}:
 * {@code connection_init}, {@code connection_ack} (when the ack is released,
 * {@link #ACK_DELAY} after the init), {@code subscribe:<id>} and {@code complete:<id>}.
 */
final class GraphQlServer implements AutoCloseable {

	/** How long the server takes to acknowledge a {@code connection_init}. */
	static final Duration ACK_DELAY = Duration.ofMillis(500);

	private final List<String> received = new CopyOnWriteArrayList<>();

	private volatile ConfigurableApplicationContext context;

	private final int port;

	GraphQlServer() {
		this.context = start(0);
		this.port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	private ConfigurableApplicationContext start(int port) {
		return new SpringApplicationBuilder(TicksApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("recorder", this))
			.properties("server.port=" + port, "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"logging.level.root=warn", "spring.jmx.enabled=false",
					"spring.graphql.schema.locations=classpath:graphql-ticks/",
					"spring.graphql.websocket.path=/graphql", "spring.graphql.websocket.keep-alive=200ms",
					"server.shutdown=immediate")
			.run();
	}

	URI url() {
		return URI.create("ws://127.0.0.1:" + this.port + "/graphql");
	}

	/**
	 * What the server received and decided, in order.
	 * @return the record
	 */
	List<String> received() {
		return this.received;
	}

	/** Stop the server: its connections end. */
	void stop() {
		this.context.close();
	}

	/** Start the server again on the same port. */
	void restart() {
		this.context = start(this.port);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/** The server application: Boot's GraphQL auto-configuration and one controller. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = WsAutoConfiguration.class)
	static class TicksApplication {

		@Bean
		TicksController ticksController() {
			return new TicksController();
		}

		@Bean
		WebSocketGraphQlInterceptor recordingInterceptor(GraphQlServer recorder) {
			return new RecordingInterceptor(recorder.received);
		}

	}

	/** The schema's query and subscription. */
	@Controller
	static class TicksController {

		@QueryMapping
		Mono<String> greeting(@Argument String name, @Argument Integer delayMs) {
			Mono<String> greeting = Mono.just("Hello, " + name + "!");
			return (delayMs != null) ? greeting.delayElement(Duration.ofMillis(delayMs)) : greeting;
		}

		@SubscriptionMapping
		Flux<Tick> ticks(@Argument int after) {
			if (after < 0) {
				return Flux.error(new SubscriptionPublisherException(
						List.of(GraphqlErrorBuilder.newError().message("after must not be negative").build()), null));
			}
			return Flux.interval(Duration.ofMillis(50)).map((i) -> new Tick(after + 1 + i));
		}

	}

	/** A tick. */
	record Tick(long seq) {

	}

	/**
	 * Records the protocol's steps as the server sees them, and acknowledges inits late.
	 */
	private record RecordingInterceptor(List<String> received) implements WebSocketGraphQlInterceptor {

		@Override
		public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo info, Map<String, Object> payload) {
			this.received.add("connection_init");
			return Mono.delay(ACK_DELAY).doOnNext((tick) -> this.received.add("connection_ack")).then(Mono.empty());
		}

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			this.received.add("subscribe:" + request.getId());
			return chain.next(request);
		}

		@Override
		public Mono<Void> handleCancelledSubscription(WebSocketSessionInfo info, String id) {
			this.received.add("complete:" + id);
			return Mono.empty();
		}

	}

}
