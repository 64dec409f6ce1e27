package dev.wsboot.usecases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Use case: a listener takes a JSON message as a record and answers with another record,
 * sent back on the same client as JSON. See {@code docs/listeners.md}.
 */
@SpringBootTest(classes = JsonRepliesTests.App.class, webEnvironment = WebEnvironment.NONE)
class JsonRepliesTests {

	@RegisterExtension
	static final WsTestServer exchange = WsTestServer.start().onConnect((connection) -> {
	});

	@DynamicPropertySource
	static void exchangeUrl(DynamicPropertyRegistry registry) {
		exchange.bindTo(registry, "orders");
	}

	@Test
	void answersEachOrderWithAnAck() {
		WsTestConnection connection = exchange.awaitConnection();
		connection.sendText("{\"id\":\"o-1\",\"quantity\":5}");
		connection.sendText("{\"id\":\"o-2\",\"quantity\":0}");
		assertThat(connection.awaitTexts(2)).containsExactly("{\"id\":\"o-1\",\"status\":\"ACCEPTED\"}",
				"{\"id\":\"o-2\",\"status\":\"REJECTED\"}");
	}

	record Order(String id, int quantity) {
	}

	record Ack(String id, String status) {
	}

	@Component
	static class OrderDesk {

		@WsListener("orders")
		Ack onOrder(Order order) {
			return new Ack(order.id(), (order.quantity() > 0) ? "ACCEPTED" : "REJECTED");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(OrderDesk.class)
	static class App {

	}

}
