package dev.wsboot.resilience;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code wss://} with trust (and key) material from a Spring Boot SSL bundle, against a
 * server with a self-signed certificate.
 */
class TlsIntegrationTests {

	@TempDir
	static Path certificates;

	private static Path serverIdentity;

	private static Path trustServer;

	private static Path trustClient;

	private static Path clientIdentity;

	private static Path otherClientIdentity;

	private static Path otherHostIdentity;

	private static Path trustOtherHost;

	private final WsTestServer server = WsTestServer.start();

	private TlsFront tls;

	private TlsFront mutualTls;

	@BeforeAll
	static void makeCertificates() throws Exception {
		serverIdentity = TlsFront.selfSigned(certificates.resolve("this.server.p12"), "server");
		clientIdentity = TlsFront.selfSigned(certificates.resolve("client.p12"), "client");
		otherClientIdentity = TlsFront.selfSigned(certificates.resolve("stranger.p12"), "stranger");
		trustServer = TlsFront.trustStore(certificates.resolve("trust-this.server.p12"), List.of(serverIdentity));
		trustClient = TlsFront.trustStore(certificates.resolve("trust-client.p12"), List.of(clientIdentity));
		otherHostIdentity = TlsFront.selfSigned(certificates.resolve("other-host.p12"), "other", "dns:other.example");
		trustOtherHost = TlsFront.trustStore(certificates.resolve("trust-other-host.p12"), List.of(otherHostIdentity));
	}

	@BeforeEach
	void startTls() throws Exception {
		this.tls = TlsFront.start(this.server, serverIdentity, null);
		this.mutualTls = TlsFront.start(this.server, serverIdentity, trustClient);
	}

	@AfterEach
	void stop() throws Exception {
		this.tls.close();
		this.mutualTls.close();
		this.server.close();
	}

	private ApplicationContextRunner contextRunner(TlsFront front) {
		return ClientContexts.feed(this.server)
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("ws.clients.feed.url=" + front.url("/feed"),
					"ws.clients.feed.reconnect.initial-delay=200ms");
	}

	@Test
	void wssConnectsToASelfSignedServerTrustedThroughAnSslBundle() {
		contextRunner(this.tls)
			.withPropertyValues("ws.clients.feed.ssl.bundle=server",
					"spring.ssl.bundle.jks.server.truststore.location=" + trustServer.toUri(),
					"spring.ssl.bundle.jks.server.truststore.password=" + TlsFront.PASSWORD,
					"spring.ssl.bundle.jks.server.truststore.type=PKCS12")
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
				feed.sendText("over tls").get();
				assertThat(this.server.awaitConnection().awaitTexts(1)).containsExactly("over tls");
				assertThat(context.getBean(RecordedEvents.class).failed()).isEmpty();
			});
	}

	@Test
	void wssWithoutTheBundleFailsEveryAttemptAndKeepsRetrying() {
		contextRunner(this.tls).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.failed().size() >= 2);
			assertThat(events.failed()).allSatisfy((failed) -> {
				assertThat(failed.willRetry()).isTrue();
				assertThat(failed.cause()).hasStackTraceContaining("certification path");
			});
			assertThat(events.opened()).isEmpty();
			assertThat(this.server.handshakes()).isEmpty();
		});
	}

	@Test
	void closingAWssClientEndsWithItsOwnCodeAsSoonAsTheServerAnswersEveryTime() {
		// the server answers the close frame and closes the connection at once (the TLS
		// front
		// then sends the close frame, close_notify and FIN together): the client must not
		// wait for the 10s shutdown timeout and report 1006
		contextRunner(this.tls)
			.withPropertyValues("ws.clients.feed.ssl.bundle=server", "ws.shutdown-timeout=10s",
					"spring.ssl.bundle.jks.server.truststore.location=" + trustServer.toUri(),
					"spring.ssl.bundle.jks.server.truststore.password=" + TlsFront.PASSWORD,
					"spring.ssl.bundle.jks.server.truststore.type=PKCS12")
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				RecordedEvents events = context.getBean(RecordedEvents.class);
				for (int i = 1; i <= 10; i++) {
					await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
					long start = System.nanoTime();
					feed.close(1000, "bye");
					int closes = i;
					await().atMost(Duration.ofSeconds(20)).until(() -> events.closed().size() == closes);
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					assertThat(events.closed().get(i - 1).code()).as("close #%d", i).isEqualTo(1000);
					assertThat(took).as("close #%d", i).isLessThan(Duration.ofSeconds(5));
					feed.connect();
				}
			});
	}

	@Test
	void wssRefusesATrustedCertificateIssuedForAnotherHost() throws Exception {
		try (TlsFront otherHost = TlsFront.start(this.server, otherHostIdentity, null)) {
			contextRunner(otherHost)
				.withPropertyValues("ws.clients.feed.ssl.bundle=other",
						"spring.ssl.bundle.jks.other.truststore.location=" + trustOtherHost.toUri(),
						"spring.ssl.bundle.jks.other.truststore.password=" + TlsFront.PASSWORD,
						"spring.ssl.bundle.jks.other.truststore.type=PKCS12")
				.run((context) -> {
					RecordedEvents events = context.getBean(RecordedEvents.class);
					WsClientFailedEvent failed = events.awaitFailed();
					assertThat(failed.cause()).hasStackTraceContaining("No subject alternative");
					assertThat(events.opened()).isEmpty();
					assertThat(this.server.handshakes()).isEmpty();
				});
		}
	}

	@Test
	void mutualTlsPresentsTheClientCertificateFromTheBundle() {
		contextRunner(this.mutualTls)
			.withPropertyValues("ws.clients.feed.ssl.bundle=mtls",
					"spring.ssl.bundle.jks.mtls.keystore.location=" + clientIdentity.toUri(),
					"spring.ssl.bundle.jks.mtls.keystore.password=" + TlsFront.PASSWORD,
					"spring.ssl.bundle.jks.mtls.keystore.type=PKCS12",
					"spring.ssl.bundle.jks.mtls.truststore.location=" + trustServer.toUri(),
					"spring.ssl.bundle.jks.mtls.truststore.password=" + TlsFront.PASSWORD,
					"spring.ssl.bundle.jks.mtls.truststore.type=PKCS12")
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
				feed.sendText("mutual").get();
				assertThat(this.server.awaitConnection().awaitTexts(1)).containsExactly("mutual");
			});
	}

	/**
	 * With TLS 1.3 the server rejects the client certificate after the client finished
	 * its handshake; Tyrus's Grizzly container ignores a connection that closes before
	 * the upgrade response, so the attempt fails at {@code connect-timeout}.
	 */
	@Test
	void mutualTlsWithAnUntrustedClientCertificateFailsTheAttemptAtTheLatestAfterTheConnectTimeout() {
		contextRunner(this.mutualTls)
			.withPropertyValues("ws.clients.feed.connect-timeout=1s", "ws.clients.feed.ssl.bundle=stranger",
					"spring.ssl.bundle.jks.stranger.keystore.location=" + otherClientIdentity.toUri(),
					"spring.ssl.bundle.jks.stranger.keystore.password=" + TlsFront.PASSWORD,
					"spring.ssl.bundle.jks.stranger.keystore.type=PKCS12",
					"spring.ssl.bundle.jks.stranger.truststore.location=" + trustServer.toUri(),
					"spring.ssl.bundle.jks.stranger.truststore.password=" + TlsFront.PASSWORD,
					"spring.ssl.bundle.jks.stranger.truststore.type=PKCS12")
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsClientFailedEvent failed = events.awaitFailed();
				assertThat(failed.cause()).isInstanceOf(TimeoutException.class);
				assertThat(failed.willRetry()).isTrue();
				assertThat(events.opened()).isEmpty();
				assertThat(this.server.handshakes()).isEmpty();
			});
	}

}
