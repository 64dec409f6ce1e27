package dev.wsboot.demo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.TestSocketUtils;

import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as a newcomer runs it: the clients connect to the app's own feed, quotes and
 * echoes arrive, and the health endpoint reports the ticker UP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
class DemoApplicationIntegrationTests {

	private static final int PORT = TestSocketUtils.findAvailableTcpPort();

	@DynamicPropertySource
	static void serverPort(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	private WsClients clients;

	@Autowired
	private QuoteBook quotes;

	@Autowired
	private EchoPinger echo;

	@Test
	void tickerReceivesQuotesAndHealthShowsItUp() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.quotes.received() >= 3);
		assertThat(this.clients.get("ticker").state()).isEqualTo(WsClientState.OPEN);
		java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://localhost:" + PORT + "/actuator/health/wsClients/ticker"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"state\":\"OPEN\"");
	}

	@Test
	void echoClientRoundTripsBinaryFrames() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.echo.echoed() >= 2);
	}

}
