package dev.wsboot.resilience;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsProxyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections through an HTTP proxy ({@code proxy.url}): a tunnel opened with
 * {@code CONNECT}, Basic proxy credentials from the URL's user-info, and a proxy that
 * refuses, on both transports, against a real tunnelling proxy.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxyIntegrationTests {

	private static final String SECRET = "s3cr3t-Pa55";

	private static final String PROXIED_HOST = "feed.proxied.test";

	@TempDir
	static Path certificates;

	private static Path serverIdentity;

	private static Path trustServer;

	private final WsTestServer server = WsTestServer.start();

	private final ConnectProxy proxy = ConnectProxy.start();

	@BeforeAll
	static void makeCertificates() throws Exception {
		serverIdentity = TlsFront.selfSigned(certificates.resolve("server.p12"), "server");
		trustServer = TlsFront.trustStore(certificates.resolve("trust-server.p12"), List.of(serverIdentity));
	}

	@AfterEach
	void stop() throws Exception {
		this.proxy.close();
		this.server.close();
	}

	private ApplicationContextRunner contextRunner(String transport) {
		return ClientContexts.feed(this.server)
			.withPropertyValues("ws.clients.feed.transport=" + transport,
					"ws.clients.feed.reconnect.initial-delay=100ms", "ws.clients.feed.reconnect.max-delay=200ms");
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void wsConnectsThroughTheProxysTunnel(String transport) {
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url()).run((context) -> {
			WsClient feed = context.getBean("feed", WsClient.class);
			await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
			feed.sendText("through the tunnel").get();
			assertThat(this.server.awaitConnection().awaitTexts(1)).containsExactly("through the tunnel");
			ConnectProxy.Request request = this.proxy.requests().get(0);
			assertThat(request.method()).isEqualTo("CONNECT");
			assertThat(request.target()).isEqualTo("127.0.0.1:" + this.server.port());
			assertThat(request.proxyAuthorization()).isNull();
			assertThat(this.proxy.tunnels()).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void wssRunsTlsInsideTheTunnelAndStillVerifiesTheServer(String transport) throws Exception {
		try (TlsFront tls = TlsFront.start(this.server, serverIdentity, null)) {
			contextRunner(transport).withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.withPropertyValues("ws.clients.feed.url=" + tls.url("/feed"),
						"ws.clients.feed.proxy.url=" + this.proxy.url(), "ws.clients.feed.ssl.bundle=server",
						"spring.ssl.bundle.jks.server.truststore.location=" + trustServer.toUri(),
						"spring.ssl.bundle.jks.server.truststore.password=" + TlsFront.PASSWORD,
						"spring.ssl.bundle.jks.server.truststore.type=PKCS12")
				.run((context) -> {
					WsClient feed = context.getBean("feed", WsClient.class);
					await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
					feed.sendText("tls in the tunnel").get();
					assertThat(this.server.awaitConnection().awaitTexts(1)).containsExactly("tls in the tunnel");
					assertThat(this.proxy.requests()).extracting(ConnectProxy.Request::target)
						.containsOnly("127.0.0.1:" + tls.url("/").getPort());
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void wssThroughTheTunnelRefusesAServerItDoesNotTrust(String transport) throws Exception {
		try (TlsFront tls = TlsFront.start(this.server, serverIdentity, null)) {
			contextRunner(transport)
				.withPropertyValues("ws.clients.feed.url=" + tls.url("/feed"),
						"ws.clients.feed.proxy.url=" + this.proxy.url())
				.run((context) -> {
					WsClientFailedEvent failed = context.getBean(RecordedEvents.class).awaitFailed();
					assertThat(failed.cause()).hasStackTraceContaining("certification path");
					assertThat(this.proxy.tunnels()).isPositive();
					assertThat(this.server.handshakes()).isEmpty();
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void basicCredentialsFromTheUrlGoToTheProxyAndNotToTheServer(String transport, CapturedOutput output) {
		this.proxy.requireBasic("alice", SECRET);
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url("alice:" + SECRET))
			.run((context) -> {
				WsClient feed = context.getBean("feed", WsClient.class);
				await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
				assertThat(this.proxy.requests()).extracting(ConnectProxy.Request::proxyAuthorization)
					.contains(ConnectProxy.basic("alice", SECRET));
				assertThat(this.proxy.tunnels()).isEqualTo(1);
				assertThat(this.server.awaitConnection()).isNotNull();
				assertThat(this.server.handshakes()).singleElement()
					.satisfies((handshake) -> assertThat(handshake.header("Proxy-Authorization")).isNull());
				assertThat(context.getBean(RecordedEvents.class).failed()).isEmpty();
				assertThat(feed.toString()).doesNotContain(SECRET);
			});
		assertThat(output.getAll()).doesNotContain(SECRET);
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void refusedCredentialsFailEachAttemptWithAMaskedMessageAndAreRetried(String transport, CapturedOutput output) {
		this.proxy.requireBasic("alice", "the-right-one");
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url("alice:" + SECRET))
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				await().atMost(RecordedEvents.TIMEOUT).until(() -> events.failed().size() >= 2);
				assertThat(events.failed()).allSatisfy((failed) -> {
					assertThat(failed.willRetry()).isTrue();
					assertThat(failed.cause()).isInstanceOf(WsProxyException.class);
					WsProxyException refused = (WsProxyException) failed.cause();
					assertThat(refused.status()).isEqualTo(407);
					assertThat(refused.proxy()).isEqualTo("http://******@127.0.0.1:" + this.proxy.port());
					assertThat(refused.getMessage()).contains("Proxy http://******@127.0.0.1:" + this.proxy.port(),
							"127.0.0.1:" + this.server.port(), "HTTP 407");
					assertThat(stackTrace(refused)).doesNotContain(SECRET).doesNotContain("alice");
				});
				assertThat(events.opened()).isEmpty();
				assertThat(this.server.handshakes()).isEmpty();
			});
		assertThat(output.getAll()).doesNotContain(SECRET);
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void aProxyAskingForCredentialsThatWereNotConfiguredFailsTheAttemptWith407(String transport) {
		this.proxy.requireBasic("alice", SECRET);
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url()).run((context) -> {
			WsClientFailedEvent failed = context.getBean(RecordedEvents.class).awaitFailed();
			assertThat(failed.willRetry()).isTrue();
			assertThat(failed.cause()).isInstanceOf(WsProxyException.class)
				.hasMessageContaining("Proxy http://127.0.0.1:" + this.proxy.port())
				.hasMessageContaining("HTTP 407");
		});
	}

	@ParameterizedTest
	@CsvSource({ "tyrus, 403", "jdk, 403", "tyrus, 502", "jdk, 502" })
	void aProxyRefusingTheTunnelFailsEachAttemptNamingTheProxyAndTheStatus(String transport, int status) {
		this.proxy.refuseWith(status);
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url()).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.failed().size() >= 2);
			assertThat(events.failed()).allSatisfy((failed) -> {
				assertThat(failed.willRetry()).isTrue();
				assertThat(failed.cause()).isInstanceOf(WsProxyException.class)
					.hasMessageContaining("Proxy http://127.0.0.1:" + this.proxy.port())
					.hasMessageContaining("HTTP " + status);
				assertThat(((WsProxyException) failed.cause()).status()).isEqualTo(status);
			});
			assertThat(this.proxy.requests().size()).isGreaterThanOrEqualTo(2);
			assertThat(this.server.handshakes()).isEmpty();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void aRefusedTunnelIsClosedByTheClientEvenWhenTheProxyKeepsItOpen(String transport) {
		this.proxy.refuseWith(403).keepRefusedConnections();
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url()).run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			await().atMost(RecordedEvents.TIMEOUT).until(() -> events.failed().size() >= 4);
			// at most the attempt in flight holds a connection
			await().atMost(RecordedEvents.TIMEOUT).until(() -> this.proxy.refusedConnectionsOpen() <= 1);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void anUnreachableProxyFailsEachAttemptNamingTheProxy(String transport) throws Exception {
		this.proxy.close();
		contextRunner(transport).withPropertyValues("ws.clients.feed.proxy.url=" + this.proxy.url("alice:" + SECRET))
			.run((context) -> {
				WsClientFailedEvent failed = context.getBean(RecordedEvents.class).awaitFailed();
				assertThat(failed.willRetry()).isTrue();
				assertThat(failed.cause()).hasMessageContaining("proxy http://******@127.0.0.1:" + this.proxy.port());
				assertThat(stackTrace(failed.cause())).doesNotContain(SECRET);
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void useSystemTakesTheProxyFromTheJvmsSystemProperties(String transport) {
		withSystemProxy(this.proxy, "localhost",
				() -> contextRunner(transport)
					.withPropertyValues("ws.clients.feed.url=" + proxiedUrl(), "ws.clients.feed.proxy.use-system=true")
					.run((context) -> {
						WsClient feed = context.getBean("feed", WsClient.class);
						await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
						assertThat(this.proxy.requests()).extracting(ConnectProxy.Request::target)
							.contains(PROXIED_HOST + ":" + this.server.port());
					}));
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void useSystemConnectsDirectlyToTheHostsInNonProxyHosts(String transport) {
		withSystemProxy(this.proxy, "*.proxied.test",
				() -> contextRunner(transport)
					.withPropertyValues("ws.clients.feed.url=" + proxiedUrl(), "ws.clients.feed.proxy.use-system=true",
							"ws.clients.feed.connect-timeout=2s")
					.run((context) -> {
						// direct: the name does not resolve (or the lookup times out)
						WsClientFailedEvent failed = context.getBean(RecordedEvents.class).awaitFailed();
						assertThat(failed.cause()).hasStackTraceContaining(PROXIED_HOST);
						assertThat(this.proxy.requests()).isEmpty();
					}));
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void aProxyUrlWinsOverUseSystem(String transport) throws IOException {
		try (ConnectProxy system = ConnectProxy.start()) {
			withSystemProxy(system, "localhost",
					() -> contextRunner(transport).withPropertyValues("ws.clients.feed.url=" + proxiedUrl(),
							"ws.clients.feed.proxy.use-system=true", "ws.clients.feed.proxy.url=" + this.proxy.url())
						.run((context) -> {
							WsClient feed = context.getBean("feed", WsClient.class);
							await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
							assertThat(this.proxy.tunnels()).isEqualTo(1);
							assertThat(system.requests()).isEmpty();
						}));
		}
	}

	@Test
	void withoutUseSystemTheJdkTransportIgnoresTheJvmsProxySettings() {
		withSystemProxy(this.proxy, "localhost",
				() -> contextRunner("jdk")
					.withPropertyValues("ws.clients.feed.url=" + proxiedUrl(), "ws.clients.feed.connect-timeout=2s")
					.run((context) -> {
						WsClientFailedEvent failed = context.getBean(RecordedEvents.class).awaitFailed();
						assertThat(failed.cause()).hasStackTraceContaining(PROXIED_HOST);
						assertThat(this.proxy.requests()).isEmpty();
					}));
	}

	/**
	 * A limitation documented in docs/security.md: Tyrus's Grizzly container asks the
	 * JVM's default ProxySelector itself, whatever {@code proxy.use-system} says.
	 */
	@Test
	void theTyrusTransportFollowsTheJvmsProxySettingsEvenWithoutUseSystem() {
		withSystemProxy(this.proxy, "localhost",
				() -> contextRunner("tyrus").withPropertyValues("ws.clients.feed.url=" + proxiedUrl())
					.run((context) -> {
						WsClient feed = context.getBean("feed", WsClient.class);
						await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
						assertThat(this.proxy.requests()).isNotEmpty();
					}));
	}

	/** A URL of the test server under a name only the proxy resolves. */
	private String proxiedUrl() {
		return "ws://" + PROXIED_HOST + ":" + this.server.port() + "/feed";
	}

	/**
	 * Run with the JVM's http and https proxy set to the given one, restoring the
	 * properties after.
	 */
	private static void withSystemProxy(ConnectProxy proxy, String nonProxyHosts, Runnable action) {
		withSystemProperties(new String[] { "http.proxyHost", "127.0.0.1", "http.proxyPort",
				String.valueOf(proxy.port()), "https.proxyHost", "127.0.0.1", "https.proxyPort",
				String.valueOf(proxy.port()), "http.nonProxyHosts", nonProxyHosts }, action);
	}

	/** Run with the given system properties (name, value pairs), restoring them after. */
	private static void withSystemProperties(String[] properties, Runnable action) {
		Map<String, String> previous = new HashMap<>();
		for (int i = 0; i < properties.length; i += 2) {
			previous.put(properties[i], System.getProperty(properties[i]));
			System.setProperty(properties[i], properties[i + 1]);
		}
		try {
			action.run();
		}
		finally {
			previous.forEach((name, value) -> {
				if (value != null) {
					System.setProperty(name, value);
				}
				else {
					System.clearProperty(name);
				}
			});
		}
	}

	private static String stackTrace(Throwable failure) {
		StringWriter text = new StringWriter();
		failure.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

}
