package dev.wsboot.usecases;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Use case: testing your own service against a real WebSocket server with
 * {@code ws-spring-boot-test}. The service subscribes when the connection opens and keeps
 * the last price; the test plays the exchange. See {@code docs/testing.md}.
 */
@SpringBootTest(classes = TestingYourServiceTests.App.class)
class TestingYourServiceTests {

	@RegisterExtension
	static final WsTestServer exchange = WsTestServer.start().onConnect((connection) -> {
		// the exchange only speaks when the test tells it to
	});

	@DynamicPropertySource
	static void exchangeUrl(DynamicPropertyRegistry registry) {
		exchange.bindTo(registry, "prices", "/stream");
	}

	@Autowired
	private PriceService prices;

	@Test
	void subscribesOnOpenAndKeepsTheLastPrice() {
		WsTestConnection connection = exchange.awaitConnection();
		assertThat(connection.awaitTexts(1)).containsExactly("{\"op\":\"subscribe\",\"symbol\":\"ACME\"}");
		connection.sendText("{\"symbol\":\"ACME\",\"price\":101.5}");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.prices.last() != null);
		assertThat(this.prices.last()).isEqualTo(new Price("ACME", 101.5));
	}

	record Price(String symbol, double price) {
	}

	record Subscribe(String op, String symbol) {
	}

	@Component
	static class PriceService {

		private final AtomicReference<Price> last = new AtomicReference<>();

		@EventListener
		void subscribe(WsClientOpenedEvent event) {
			event.client().sendObject(new Subscribe("subscribe", "ACME"));
		}

		@WsListener("prices")
		void onPrice(Price price) {
			this.last.set(price);
		}

		Price last() {
			return this.last.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PriceService.class)
	static class App {

	}

}
