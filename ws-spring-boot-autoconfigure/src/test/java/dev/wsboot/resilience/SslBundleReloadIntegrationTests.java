package dev.wsboot.resilience;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificate rotation without a restart: the clients' trust comes from a PEM bundle with
 * {@code reload-on-update}, and the test replaces the trusted certificate file while the
 * application runs, against servers with self-signed certificates.
 */
class SslBundleReloadIntegrationTests {

	@TempDir
	Path directory;

	private final WsTestServer server = WsTestServer.start();

	private Path oldIdentity;

	private Path newIdentity;

	private Path trust;

	private TlsFront oldServer;

	private TlsFront newServer;

	@BeforeEach
	void start() throws Exception {
		this.oldIdentity = TlsFront.selfSigned(this.directory.resolve("old.p12"), "old-server");
		this.newIdentity = TlsFront.selfSigned(this.directory.resolve("new.p12"), "new-server");
		this.trust = Files.createDirectories(this.directory.resolve("trust")).resolve("trusted.pem");
		writeTrust(this.oldIdentity);
		this.oldServer = TlsFront.start(this.server, this.oldIdentity, null);
		this.newServer = TlsFront.start(this.server, this.newIdentity, null);
	}

	@AfterEach
	void stop() throws Exception {
		this.oldServer.close();
		this.newServer.close();
		this.server.close();
	}

	private ApplicationContextRunner contextRunner(String transport) {
		return ClientContexts.feed(this.server)
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("ws.defaults.transport=" + transport, "ws.defaults.reconnect.initial-delay=200ms",
					"ws.defaults.reconnect.max-delay=500ms",
					"spring.ssl.bundle.pem.server.truststore.certificate=" + this.trust.toUri(),
					"spring.ssl.bundle.pem.server.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=100ms");
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void aRotatedTrustFileReachesNewConnectionsAndOpenClientsWithoutARestart(String transport) {
		contextRunner(transport)
			.withPropertyValues("ws.clients.feed.url=" + this.oldServer.url("/old"),
					"ws.clients.feed.ssl.bundle=server", "ws.clients.next.url=" + this.newServer.url("/new"),
					"ws.clients.next.ssl.bundle=server")
			.run((context) -> {
				RecordedEvents events = context.getBean(RecordedEvents.class);
				WsClient feed = context.getBean("feed", WsClient.class);
				WsClient next = context.getBean("next", WsClient.class);
				// before: only the old certificate is trusted
				await().atMost(RecordedEvents.TIMEOUT).until(feed::isOpen);
				await().atMost(RecordedEvents.TIMEOUT)
					.until(() -> !of(events, WsClientFailedEvent.class, "next").isEmpty());
				assertThat(of(events, WsClientFailedEvent.class, "next").get(0).cause())
					.hasStackTraceContaining("certification path");
				assertThat(next.isOpen()).isFalse();

				writeTrust(this.newIdentity);

				// after: the new server is reached, the open client was reconnected with
				// 1001
				// and no longer trusts the old server
				await().atMost(RecordedEvents.TIMEOUT).until(next::isOpen);
				await().atMost(RecordedEvents.TIMEOUT)
					.until(() -> of(events, WsClientClosedEvent.class, "feed").stream()
						.anyMatch((closed) -> closed.code() == 1001 && closed.willReconnect()));
				long reloaded = closedNanos(events, "feed");
				await().atMost(RecordedEvents.TIMEOUT)
					.until(() -> events
						.allNanosOf(WsClientFailedEvent.class, (failed) -> failed.client().name().equals("feed"))
						.stream()
						.anyMatch((failedAt) -> failedAt > reloaded));
				assertThat(of(events, WsClientFailedEvent.class, "feed")).last()
					.satisfies((failed) -> assertThat(failed.cause()).hasStackTraceContaining("certification path"));
				assertThat(feed.isOpen()).isFalse();
				next.sendText("after rotation").get();
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "tyrus", "jdk" })
	void openClientsOfTheReloadedBundleReconnectOneAtATime(String transport) {
		List<String> names = List.of("a", "b", "c");
		ApplicationContextRunner runner = contextRunner(transport);
		for (String name : names) {
			runner = runner.withPropertyValues("ws.clients." + name + ".url=" + this.oldServer.url("/" + name),
					"ws.clients." + name + ".ssl.bundle=server");
		}
		runner.run((context) -> {
			RecordedEvents events = context.getBean(RecordedEvents.class);
			for (String name : names) {
				await().atMost(RecordedEvents.TIMEOUT).until(context.getBean(name, WsClient.class)::isOpen);
			}
			await().atMost(RecordedEvents.TIMEOUT).until(context.getBean("feed", WsClient.class)::isOpen);

			writeTrust(this.oldIdentity, this.newIdentity);

			for (String name : names) {
				await().atMost(RecordedEvents.TIMEOUT)
					.until(() -> of(events, WsClientOpenedEvent.class, name).size() == 2);
			}
			// one at a time: a client closes only after the previous one is open again
			List<String> order = names.stream()
				.sorted(Comparator.comparingLong((name) -> closedNanos(events, name)))
				.toList();
			for (int i = 1; i < order.size(); i++) {
				String previous = order.get(i - 1);
				long previousReopened = events
					.allNanosOf(WsClientOpenedEvent.class, (opened) -> opened.client().name().equals(previous))
					.get(1);
				assertThat(closedNanos(events, order.get(i))).as("%s closed after %s reopened", order.get(i), previous)
					.isGreaterThan(previousReopened);
			}
			for (String name : names) {
				assertThat(of(events, WsClientClosedEvent.class, name)).singleElement()
					.satisfies((closed) -> assertThat(closed.code()).isEqualTo(1001));
				assertThat(of(events, WsClientFailedEvent.class, name)).isEmpty();
			}
			// feed uses no bundle: left alone
			assertThat(of(events, WsClientClosedEvent.class, "feed")).isEmpty();
			assertThat(of(events, WsClientOpenedEvent.class, "feed")).hasSize(1);
		});
	}

	private static long closedNanos(RecordedEvents events, String name) {
		return events.nanosOf(WsClientClosedEvent.class, (closed) -> closed.client().name().equals(name));
	}

	private static <T extends WsClientEvent> List<T> of(RecordedEvents events, Class<T> type, String client) {
		return events.of(type).stream().filter((event) -> event.client().name().equals(client)).toList();
	}

	/** Replace the trusted certificates at once, as a deployment tool would. */
	private void writeTrust(Path... identities) throws Exception {
		StringBuilder pem = new StringBuilder();
		for (Path identity : identities) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(identity)) {
				store.load(in, TlsFront.PASSWORD.toCharArray());
			}
			byte[] certificate = store.getCertificate(store.aliases().nextElement()).getEncoded();
			pem.append("-----BEGIN CERTIFICATE-----\n")
				.append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate))
				.append("\n-----END CERTIFICATE-----\n");
		}
		Path written = Files.writeString(this.trust.resolveSibling("trusted.pem.tmp"), pem);
		Files.move(written, this.trust, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
