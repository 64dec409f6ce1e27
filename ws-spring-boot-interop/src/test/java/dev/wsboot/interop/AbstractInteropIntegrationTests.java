package dev.wsboot.interop;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The interoperability cases, written once and run by each subclass against its server,
 * on both transports. The client {@code peer} is configured through
 * {@code ws.clients.peer.*} in an application context, as an application configures it.
 */
abstract class AbstractInteropIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final int FIVE_MIB = 5 * 1024 * 1024;

	/**
	 * Far more than a client's hand-off (1024 messages, at most 4 MB) and the loopback
	 * socket buffers hold together: 20 MB.
	 */
	private static final int FLOOD = 20_000;

	private static JettyConnectProxy proxy;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, SslAutoConfiguration.class,
				WsAutoConfiguration.class))
		.withBean(Received.class)
		.withPropertyValues("ws.shutdown-timeout=2s", "ws.clients.peer.reconnect.initial-delay=5s");

	/**
	 * The server under test.
	 * @return the server
	 */
	abstract InteropServer server();

	@BeforeAll
	static void startProxy() {
		proxy = new JettyConnectProxy();
	}

	@AfterAll
	static void stopProxy() {
		proxy.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void echoesTextAndBinaryMessagesIncludingEmptyOnes(String transport) {
		client(transport, "/echo").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText("hello");
			peer.sendText("");
			peer.sendText("Grüße aus Köln, 東京 🚀");
			peer.sendBinary(new byte[] { 1, 2, 3 });
			peer.sendBinary(new byte[0]);
			peer.sendText("").get(20, TimeUnit.SECONDS);
			received.awaitTexts(4);
			received.awaitBinaries(2);
			assertThat(received.texts).containsExactly("hello", "", "Grüße aus Köln, 東京 🚀", "");
			assertThat(received.binaries).containsExactly(List.of(1, 2, 3), List.of());
			assertThat(received.closed).isEmpty();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void echoesFiveMebibyteTextAndBinaryMessages(String transport) {
		String text = Payloads.text(FIVE_MIB);
		byte[] binary = Payloads.binary(FIVE_MIB);
		client(transport, "/echo", "ws.clients.peer.max-message-size=16MB").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText(text);
			peer.sendBinary(binary).get(20, TimeUnit.SECONDS);
			received.awaitTexts(1);
			received.awaitBinaries(1);
			assertThat(received.texts.get(0)).isEqualTo(text);
			assertThat(received.rawBinaries.get(0)).isEqualTo(binary);
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void serverReassemblesWhatTheClientFragmentsAtMaxFragmentSize(String transport) {
		String text = Payloads.text(10_000);
		byte[] binary = Payloads.binary(10_000);
		client(transport, "/echo", "ws.clients.peer.max-fragment-size=1KB").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText(text);
			peer.sendBinary(binary);
			peer.sendText("after").get(20, TimeUnit.SECONDS);
			received.awaitTexts(2);
			received.awaitBinaries(1);
			assertThat(received.texts).containsExactly(text, "after");
			assertThat(received.rawBinaries.get(0)).isEqualTo(binary);
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void clientReassemblesWhatTheServerSendsInFragments(String transport) {
		client(transport, "/echo").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText("cmd:fragments:text:5000:700");
			peer.sendText("cmd:fragments:binary:3000:1000");
			peer.sendText("cmd:fragments:text:0:100");
			peer.sendText("after");
			received.awaitTexts(3);
			received.awaitBinaries(1);
			assertThat(received.texts).containsExactly(Payloads.text(5000), "", "after");
			assertThat(received.rawBinaries.get(0)).isEqualTo(Payloads.binary(3000));
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void serverSelectsTheFirstOfferedSubprotocolItSupports(String transport) {
		client(transport, "/echo", "ws.clients.peer.subprotocols=v9.unknown,v1.interop,v2.interop").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			assertThat(peer.subprotocol()).contains("v1.interop");
			assertThat(received.opened.get(0).subprotocol()).contains("v1.interop");
		});
	}

	@ParameterizedTest(name = "{0}: {1} {2}")
	@CsvSource({ "tyrus, 1000, ''", "tyrus, 1001, going away", "tyrus, 4000, bye", "jdk, 1000, ''",
			"jdk, 1001, going away", "jdk, 4000, bye" })
	void serverCloseCodesAndReasonsReachTheClosedEvent(String transport, int code, String reason) {
		client(transport, "/echo", "ws.clients.peer.reconnect.enabled=false").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText("cmd:close:" + code + ":" + reason);
			await().atMost(TIMEOUT).until(() -> !received.closed.isEmpty());
			WsClientClosedEvent closed = received.closed.get(0);
			assertThat(closed.code()).isEqualTo(code);
			assertThat(closed.reason()).isEqualTo(reason);
			assertThat(closed.willReconnect()).isFalse();
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void serverPingsAreAnsweredWithPongs(String transport) {
		client(transport, "/echo").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText("cmd:ping:are you there");
			received.awaitTexts(1);
			assertThat(received.texts).containsExactly("pong:are you there");
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void wssWithAnSslBundleTrustingTheServersCertificate(String transport) {
		client(transport, server().secureUrl("/echo")).run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText("over tls");
			peer.sendBinary(new byte[0]);
			received.awaitTexts(1);
			received.awaitBinaries(1);
			assertThat(received.texts).containsExactly("over tls");
			assertThat(received.binaries).containsExactly(List.of());
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void closingAWssClientEndsWithItsOwnCodeWellWithinTheShutdownTimeoutEveryTime(String transport) {
		// the server answers the close frame and closes the connection at once (close
		// frame, close_notify and FIN back to back): the client must not wait for
		// ws.shutdown-timeout and report 1006
		client(transport, server().secureUrl("/echo"), "ws.shutdown-timeout=10s").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			for (int i = 1; i <= 5; i++) {
				int count = i;
				await().atMost(TIMEOUT).until(() -> received.opened.size() == count && peer.isOpen());
				long start = System.nanoTime();
				peer.close(1000, "bye");
				await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> received.closed.size() == count);
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				WsClientClosedEvent closed = received.closed.get(i - 1);
				assertThat(closed.code()).as("close #%d", i).isEqualTo(1000);
				assertThat(closed.willReconnect()).as("close #%d", i).isFalse();
				assertThat(took).as("close #%d", i).isLessThan(Duration.ofSeconds(5));
				peer.connect();
			}
		});
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "tyrus, ws", "tyrus, wss", "jdk, ws", "jdk, wss" })
	void contextCloseSendsGoingAwayAndEndsAsSoonAsTheServerAnswers(String transport, String scheme) {
		client(transport, url(scheme, "/echo"), "ws.shutdown-timeout=10s").run((context) -> {
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(received.closed).singleElement().satisfies((closed) -> {
				assertThat(closed.code()).isEqualTo(1001);
				assertThat(closed.willReconnect()).isFalse();
			});
			assertThat(took).isLessThan(Duration.ofSeconds(5));
		});
	}

	// not on tyrus: Tyrus 2.2.2 sends its CONNECT with "Host: 127.0.0.1", without the
	// port the request's authority has (RFC 9110 7.2), and Jetty answers 400
	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "jdk, ws", "jdk, wss" })
	void connectsThroughJettysConnectProxy(String transport, String scheme) {
		URI url = url(scheme, "/echo");
		int before = proxy.targets().size();
		client(transport, url, "ws.clients.peer.proxy.url=" + proxy.url()).run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			peer.sendText("through the tunnel");
			received.awaitTexts(1);
			assertThat(received.texts).containsExactly("through the tunnel");
			assertThat(proxy.targets().subList(before, proxy.targets().size()))
				.containsExactly("127.0.0.1:" + url.getPort());
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void messagesSentWhileTheConnectionIsReplacedAllReachTheServerInOrder(String transport) {
		client(transport, "/echo").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			PeerScript.SEQUENCE.clear();
			List<String> sent = new ArrayList<>();
			List<CompletableFuture<Void>> sends = new ArrayList<>();
			for (int round = 0; round < 5; round++) {
				await().atMost(Duration.ofSeconds(20)).until(peer::isOpen);
				// the replacement's close frame goes out while these are being written;
				// each must reach this server or the next connection's, in order
				CompletableFuture<Void> replaced = CompletableFuture
					.runAsync(() -> peer.reconnect(4001, "replaced").join());
				for (int i = 0; i < 500; i++) {
					String text = "seq:" + round + ":" + i;
					sent.add(text);
					sends.add(peer.sendText(text));
				}
				replaced.get(20, TimeUnit.SECONDS);
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(20)).until(() -> PeerScript.SEQUENCE.size() >= sent.size());
			assertThat(PeerScript.SEQUENCE).containsExactlyElementsOf(sent);
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tyrus", "jdk" })
	void aStalledListenerHoldsTheServerBackAndThenReceivesTheWholeFloodInOrder(String transport) {
		client(transport, "/echo").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			CountDownLatch stall = new CountDownLatch(1);
			received.stall = stall;
			try {
				peer.sendText("cmd:flood:" + FLOOD + ":1000");
				awaitStalled(PeerScript.FLOODED);
				// TCP backpressure reached the server
				assertThat(PeerScript.FLOODED.get()).isLessThan(FLOOD);
				// reading paused instead: no transport thread waits for the listener
				assertThat(threadsWaitingForRoomInAHandOff()).isEmpty();
			}
			finally {
				stall.countDown();
			}
			received.awaitTexts(FLOOD);
			assertThat(received.texts).hasSize(FLOOD);
			for (int i = 0; i < FLOOD; i++) {
				assertThat(received.texts.get(i)).startsWith(i + ":").hasSize(1000);
			}
			assertThat(PeerScript.FLOODED).hasValue(FLOOD);
		});
	}

	@TestFactory
	Stream<DynamicTest> permessageDeflateRoundTripsEmptyFragmentedAndLargeMessagesWithEveryServerVariant() {
		if (server().deflateVariants().isEmpty()) {
			return Stream
				.of(DynamicTest.dynamicTest("declined by the server", this::serverDecliningDeflateStillEchoes));
		}
		return server().deflateVariants()
			.stream()
			.map((variant) -> DynamicTest.dynamicTest(variant.description(), () -> deflateRoundTrip(variant)));
	}

	@Test
	void jdkTransportRefusesPermessageDeflateAtStartUp() {
		client("jdk", "/echo", "ws.clients.peer.extensions=permessage-deflate").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("ws.clients.peer.extensions")
				.hasMessageContaining("jdk transport");
		});
	}

	private void deflateRoundTrip(InteropServer.DeflateVariant variant) {
		String compressible = Payloads.text(4000);
		byte[] incompressible = Payloads.binary(2000);
		String large = Payloads.text(FIVE_MIB);
		client("tyrus", variant.path(), "ws.clients.peer.extensions=permessage-deflate",
				"ws.clients.peer.max-fragment-size=1KB", "ws.clients.peer.max-message-size=16MB")
			.run((context) -> {
				WsClient peer = context.getBean("peer", WsClient.class);
				Received received = context.getBean(Received.class);
				received.awaitOpen();
				assertThat(peer.extensions()).containsExactly("permessage-deflate");
				// empty messages after earlier ones: the context must stay intact both
				// ways
				peer.sendText(compressible);
				peer.sendText("");
				peer.sendBinary(new byte[0]);
				peer.sendText(compressible);
				peer.sendBinary(incompressible);
				peer.sendBinary(new byte[0]);
				peer.sendText("");
				// from the server: fragmented, fragmented with an empty last frame, empty
				// in one frame
				peer.sendText("cmd:fragments:text:5000:700");
				peer.sendText("cmd:fragments:text:1400:700");
				peer.sendText("cmd:fragments:binary:0:100");
				peer.sendText(large);
				peer.sendText("done").get(20, TimeUnit.SECONDS);
				received.awaitTexts(8);
				received.awaitBinaries(4);
				assertThat(received.closed).isEmpty();
				assertThat(received.texts).containsExactly(compressible, "", compressible, "", Payloads.text(5000),
						Payloads.text(1400), large, "done");
				assertThat(received.rawBinaries.get(0)).isEmpty();
				assertThat(received.rawBinaries.get(1)).isEqualTo(incompressible);
				assertThat(received.rawBinaries.get(2)).isEmpty();
				assertThat(received.rawBinaries.get(3)).isEmpty();
				assertThat(peer.isOpen()).isTrue();
			});
	}

	private void serverDecliningDeflateStillEchoes() {
		client("tyrus", "/echo", "ws.clients.peer.extensions=permessage-deflate").run((context) -> {
			WsClient peer = context.getBean("peer", WsClient.class);
			Received received = context.getBean(Received.class);
			received.awaitOpen();
			assertThat(peer.extensions()).isEmpty();
			peer.sendText("");
			peer.sendText("plain");
			received.awaitTexts(2);
			assertThat(received.texts).containsExactly("", "plain");
		});
	}

	private ApplicationContextRunner client(String transport, String path, String... properties) {
		return client(transport, server().url(path), properties);
	}

	private ApplicationContextRunner client(String transport, URI url, String... properties) {
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues("ws.clients.peer.url=" + url,
				"ws.clients.peer.transport=" + transport);
		if (url.getScheme().equals("wss")) {
			runner = runner.withPropertyValues(TestCertificate.get().clientBundle("peer").toArray(String[]::new))
				.withPropertyValues("ws.clients.peer.ssl.bundle=peer");
		}
		return runner.withPropertyValues(properties);
	}

	private URI url(String scheme, String path) {
		return scheme.equals("wss") ? server().secureUrl(path) : server().url(path);
	}

	/** Wait until a count stops growing for a second. */
	private static void awaitStalled(AtomicInteger count) {
		int[] last = { -1 };
		await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
			int now = count.get();
			boolean stalled = now > 0 && now == last[0];
			last[0] = now;
			return stalled;
		});
	}

	/** Threads parked in a client's hand-off until it has room for their message. */
	private static List<String> threadsWaitingForRoomInAHandOff() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> Arrays.stream(entry.getValue())
				.anyMatch((frame) -> frame.getClassName().equals("dev.wsboot.client.InboundBudget")
						&& frame.getMethodName().equals("awaitRoom")))
			.map((entry) -> entry.getKey().getName())
			.toList();
	}

	/** Everything the client {@code peer} received, and its lifecycle events. */
	static final class Received {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<byte[]> rawBinaries = new CopyOnWriteArrayList<>();

		final List<List<Integer>> binaries = new CopyOnWriteArrayList<>();

		final List<WsClientOpenedEvent> opened = new CopyOnWriteArrayList<>();

		final List<WsClientClosedEvent> closed = new CopyOnWriteArrayList<>();

		/** Holds the text listener while set (a stalled listener). */
		volatile @Nullable CountDownLatch stall;

		@WsListener("peer")
		void onText(String text) throws InterruptedException {
			CountDownLatch stall = this.stall;
			if (stall != null) {
				stall.await(60, TimeUnit.SECONDS);
			}
			this.texts.add(text);
		}

		@WsListener("peer")
		void onBinary(byte[] data) {
			this.rawBinaries.add(data);
			List<Integer> values = new ArrayList<>();
			if (data.length <= 16) {
				for (byte value : data) {
					values.add((int) value);
				}
			}
			this.binaries.add(values);
		}

		@EventListener
		void onOpened(WsClientOpenedEvent event) {
			this.opened.add(event);
		}

		@EventListener
		void onClosed(WsClientClosedEvent event) {
			this.closed.add(event);
		}

		void awaitOpen() {
			await().atMost(TIMEOUT).until(() -> !this.opened.isEmpty());
		}

		void awaitTexts(int count) {
			await().atMost(TIMEOUT).until(() -> this.texts.size() >= count || !this.closed.isEmpty());
			assertThat(this.closed).as("closed while waiting for %d texts (got %d)", count, this.texts.size())
				.isEmpty();
		}

		void awaitBinaries(int count) {
			await().atMost(TIMEOUT).until(() -> this.rawBinaries.size() >= count || !this.closed.isEmpty());
			assertThat(this.closed).as("closed while waiting for %d binaries", count).isEmpty();
		}

		@Override
		public String toString() {
			return "texts " + this.texts.size() + ", binaries " + Arrays.toString(this.binaries.toArray()) + ", closed "
					+ this.closed;
		}

	}

}
