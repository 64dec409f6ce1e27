package dev.wsboot.usecases;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
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
 * Use case: subscribe from a {@link WsClientOpenedEvent} listener. It runs on every
 * connection, before the first message of that connection reaches a {@code @WsListener},
 * so the subscription is never late, also after the server dropped the connection. See
 * {@code docs/listeners.md}.
 */
@SpringBootTest(classes = ResubscribeAfterReconnectTests.App.class, webEnvironment = WebEnvironment.NONE,
		properties = "ws.clients.trades.reconnect.initial-delay=100ms")
class ResubscribeAfterReconnectTests {

	@RegisterExtension
	static final WsTestServer exchange = WsTestServer.start().onConnect((connection) -> {
		// the exchange streams as soon as the connection is open
		connection.sendText("{\"symbol\":\"ACME\",\"price\":1.5}");
	});

	@DynamicPropertySource
	static void exchangeUrl(DynamicPropertyRegistry registry) {
		exchange.bindTo(registry, "trades");
	}

	@Autowired
	private TradeFeed feed;

	@Test
	void subscribesOnEveryConnectionBeforeTheFirstTradeIsHandled() {
		WsTestConnection first = exchange.awaitConnection();
		assertThat(first.awaitTexts(1)).containsExactly("{\"op\":\"subscribe\",\"channel\":\"trades\"}");
		first.dropTcp();
		WsTestConnection second = exchange.awaitConnection();
		assertThat(second.awaitTexts(1)).containsExactly("{\"op\":\"subscribe\",\"channel\":\"trades\"}");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.feed.log.size() == 4);
		assertThat(this.feed.log).containsExactly("subscribed", "trade ACME", "subscribed", "trade ACME");
	}

	record Subscribe(String op, String channel) {
	}

	record Trade(String symbol, double price) {
	}

	@Component
	static class TradeFeed {

		final List<String> log = new CopyOnWriteArrayList<>();

		@EventListener
		void subscribe(WsClientOpenedEvent event) {
			if (event.client().name().equals("trades")) {
				event.client().sendObject(new Subscribe("subscribe", "trades"));
				this.log.add("subscribed");
			}
		}

		@WsListener("trades")
		void onTrade(Trade trade) {
			this.log.add("trade " + trade.symbol());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(TradeFeed.class)
	static class App {

	}

}
