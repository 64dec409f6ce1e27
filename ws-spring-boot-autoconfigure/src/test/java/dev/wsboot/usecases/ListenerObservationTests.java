package dev.wsboot.usecases;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
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
import static org.awaitility.Awaitility.await;

/**
 * Use case: with actuator (Micrometer) on the class path every {@code @WsListener}
 * invocation is observed as {@code ws.client.listener}, a timer tagged with client,
 * listener, outcome and exception. See {@code docs/listeners.md} and
 * {@code docs/observability.md}.
 */
@SpringBootTest(classes = ListenerObservationTests.App.class, webEnvironment = WebEnvironment.NONE)
class ListenerObservationTests {

	@RegisterExtension
	static final WsTestServer exchange = WsTestServer.start().onConnect((connection) -> {
	});

	@DynamicPropertySource
	static void exchangeUrl(DynamicPropertyRegistry registry) {
		exchange.bindTo(registry, "prices");
	}

	@Autowired
	private MeterRegistry meters;

	@Test
	void timesEachInvocationWithItsOutcome() {
		WsTestConnection connection = exchange.awaitConnection();
		connection.sendText("{\"symbol\":\"ACME\",\"price\":1.5}");
		connection.sendText("not json");
		await().atMost(Duration.ofSeconds(10)).until(() -> count("SUCCESS") == 1 && count("ERROR") == 1);
		Timer failed = this.meters.get("ws.client.listener").tag("outcome", "ERROR").timer();
		assertThat(failed.getId().getTag("client")).isEqualTo("prices");
		assertThat(failed.getId().getTag("listener")).isEqualTo("PriceBoard.onPrice");
		assertThat(failed.getId().getTag("exception")).isEqualTo("MessageConversionException");
	}

	private long count(String outcome) {
		Timer timer = this.meters.find("ws.client.listener").tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	record Price(String symbol, double price) {
	}

	@Component
	static class PriceBoard {

		@WsListener("prices")
		void onPrice(Price price) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PriceBoard.class)
	static class App {

	}

}
