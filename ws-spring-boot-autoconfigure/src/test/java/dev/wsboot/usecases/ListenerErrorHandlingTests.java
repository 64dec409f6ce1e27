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
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.listener.WsListenerErrorHandler;
import dev.wsboot.listener.WsListenerFailure;
import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Use case: a {@link WsListenerErrorHandler} bean keeps the messages that could not be
 * handled (a dead-letter list) and leaves the connection open; a payload that is not even
 * JSON closes the client instead. See {@code docs/listeners.md}.
 */
@SpringBootTest(classes = ListenerErrorHandlingTests.App.class, webEnvironment = WebEnvironment.NONE)
class ListenerErrorHandlingTests {

	@RegisterExtension
	static final WsTestServer exchange = WsTestServer.start().onConnect((connection) -> {
	});

	@DynamicPropertySource
	static void exchangeUrl(DynamicPropertyRegistry registry) {
		exchange.bindTo(registry, "payments");
	}

	@Autowired
	private Payments payments;

	@Autowired
	private DeadLetters deadLetters;

	@Autowired
	private WsClient client;

	@Test
	void keepsFailedMessagesAsideAndGoesOn() {
		WsTestConnection connection = exchange.awaitConnection();
		connection.sendText("{\"id\":\"p-1\",\"amount\":-5}");
		connection.sendText("{\"id\":\"p-2\",\"amount\":10}");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.payments.booked.size() == 1);
		assertThat(this.payments.booked).containsExactly(new Payment("p-2", 10));
		assertThat(this.deadLetters.messages).containsExactly("{\"id\":\"p-1\",\"amount\":-5}");
		assertThat(this.client.isOpen()).isTrue();

		connection.sendText("<html>maintenance</html>");
		assertThat(connection.awaitClose().closeCode()).isEqualTo(1003);
	}

	record Payment(String id, long amount) {
	}

	@Component
	static class Payments {

		final List<Payment> booked = new CopyOnWriteArrayList<>();

		@WsListener("payments")
		void onPayment(Payment payment) {
			if (payment.amount() <= 0) {
				throw new IllegalArgumentException("Amount must be positive: " + payment);
			}
			this.booked.add(payment);
		}

	}

	@Component
	static class DeadLetters implements WsListenerErrorHandler {

		final List<String> messages = new CopyOnWriteArrayList<>();

		@Override
		public void handleError(WsListenerFailure failure) {
			String text = failure.message().isText() ? failure.message().text() : "(binary)";
			if (!text.startsWith("{")) {
				// not our protocol at all: 1003 (unsupported data), and stay closed
				failure.client().close(1003, "Unsupported payload");
				return;
			}
			this.messages.add(text);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Payments.class, DeadLetters.class })
	static class App {

	}

}
