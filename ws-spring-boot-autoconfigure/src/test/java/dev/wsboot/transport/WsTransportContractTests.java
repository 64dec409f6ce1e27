package dev.wsboot.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshake;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link WsTransport} must do, against a real server over loopback sockets:
 * each transport runs it through a subclass (Micrometer's
 * {@code MeterRegistryCompatibilityKit} is the model), which adds the tests of what is
 * its own.
 */
public abstract class WsTransportContractTests {

	protected static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** How long "nothing else happens" is watched for. */
	protected static final Duration QUIET = Duration.ofMillis(300);

	/** The handler of the connects made with {@link #connect(WsConnectRequest)}. */
	protected final RecordingHandler handler = new RecordingHandler();

	/**
	 * The transport under test, new for each test and closed after it by the subclass.
	 * @return the transport
	 */
	protected abstract WsTransport transport();

	/**
	 * The scriptable server, reset before each test by the subclass.
	 * @return the server
	 */
	protected abstract WsTestServer server();

	@Test
	void connectsAndEchoesTextAndBinaryMessages() throws Exception {
		WsConnection connection = connect(request(server().url()));
		connection.sendText("hello", true).get(10, TimeUnit.SECONDS);
		connection.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).get(10, TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> this.handler.events.size() >= 3);
		assertThat(this.handler.events).containsExactly("open", "text:hello:true", "binary:[1, 2, 3]:true");
		assertThat(connection.subprotocol()).isEmpty();
		assertThat(connection.extensions()).isEmpty();
	}

	@Test
	void sendsHeadersAndOfferedSubprotocolsInTheHandshake() throws Exception {
		server().handshake((handshake) -> WsTestHandshakeResponse.accept().withSubprotocol("v2.json"));
		WsConnectRequest request = new WsConnectRequest(server().url("/feed?token=secret"),
				List.of("v1.json", "v2.json"), List.of(),
				Map.of("Authorization", List.of("Bearer abc"), "X-Client", List.of("tests")), Duration.ofSeconds(5),
				1024 * 1024, null);
		WsConnection connection = connect(request);
		WsTestHandshake handshake = server().handshakes().get(0);
		assertThat(handshake.path()).isEqualTo("/feed");
		assertThat(handshake.query()).isEqualTo("token=secret");
		assertThat(handshake.header("Authorization")).isEqualTo("Bearer abc");
		assertThat(handshake.header("X-Client")).isEqualTo("tests");
		assertThat(handshake.subprotocols()).containsExactly("v1.json", "v2.json");
		assertThat(handshake.extensions()).isEmpty();
		assertThat(connection.subprotocol()).contains("v2.json");
	}

	@Test
	void handshakeSelectingASubprotocolThatWasNotOfferedFails() {
		server().handshake((handshake) -> WsTestHandshakeResponse.accept().withSubprotocol("evil"));
		WsConnectRequest request = new WsConnectRequest(server().url(), List.of("v1.json"), List.of(), Map.of(),
				Duration.ofSeconds(5), 1024, null);
		Throwable failure = connectFailure(request);
		assertThat(failure).isInstanceOf(WsHandshakeException.class)
			.hasMessageContaining("evil")
			.hasMessageContaining("v1.json");
		assertThat(((WsHandshakeException) failure).status()).isEqualTo(101);
		server().awaitConnection().awaitDisconnected();
		assertThat(this.handler.events).isEmpty();
	}

	@Test
	void refusedHandshakeFailsWithItsStatusAndHeadersWithoutShowingThem() {
		// longer than any port, so the URL in the message cannot contain it by chance
		server().handshake((handshake) -> WsTestHandshakeResponse.refuse(503)
			.withHeader("Retry-After", "8640017")
			.withHeader("X-Debug", "hush-hush"));
		Throwable failure = connectFailure(request(server().url("/feed?token=secret")));
		assertThat(failure).isInstanceOf(WsHandshakeException.class)
			.hasMessageContaining("503")
			.hasMessageNotContaining("secret")
			.hasMessageNotContaining("8640017")
			.hasMessageNotContaining("hush-hush");
		WsHandshakeException refused = (WsHandshakeException) failure;
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.responseHeaders()).containsEntry("retry-after", List.of("8640017"));
		assertThat(this.handler.events).isEmpty();
	}

	@Test
	void handshakeSelectingAnExtensionThatWasNotOfferedFails() {
		server().handshake((handshake) -> WsTestHandshakeResponse.accept().withExtension("x-evil; level=3"));
		Throwable failure = connectFailure(request(server().url()));
		assertThat(failure).isInstanceOf(WsHandshakeException.class).hasMessageContaining("x-evil");
		server().awaitConnection().awaitDisconnected();
		assertThat(this.handler.events).isEmpty();
	}

	@Test
	void connectToAPortNobodyListensOnFailsFastWithoutBlocking() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		long start = System.nanoTime();
		CompletableFuture<WsConnection> future = transport()
			.connect(request(URI.create("ws://127.0.0.1:" + port + "/?token=secret")), this.handler);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		assertThat(future).failsWithin(Duration.ofSeconds(5));
		Throwable failure = future.handle((connection, ex) -> ex).join();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(failure).isInstanceOf(ConnectException.class).hasMessageNotContaining("secret");
		assertThat(this.handler.events).isEmpty();
	}

	@Test
	void partialSendsArriveAsContinuationFramesInOrderBeforeTheNextMessage() throws Exception {
		server().onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		connection.sendText("Hel", false);
		connection.sendText("lo ", false);
		connection.sendText("world", true);
		connection.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2 }), false);
		connection.sendBinary(ByteBuffer.wrap(new byte[] { 3 }), true);
		connection.sendText("next", true).get(10, TimeUnit.SECONDS);
		assertThat(serverSide.awaitTexts(2)).containsExactly("Hello world", "next");
		List<String> frames = serverSide.frames()
			.stream()
			.filter((frame) -> !frame.isControl())
			.map((frame) -> frame.opcode() + (frame.fin() ? "F" : "-") + ":" + frame.size())
			.toList();
		assertThat(frames).containsExactly("1-:3", "0-:3", "0F:5", "2-:2", "0F:1", "1F:4");
		assertThat(serverSide.awaitBinaries(1).get(0)).containsExactly(1, 2, 3);
	}

	@Test
	void inboundFragmentsAreDeliveredAsPartsWithLastFlags() throws Exception {
		server().onConnect((connection) -> connection.sendFragmentedText("abcdefgh", 3));
		connect(request(server().url()));
		await().atMost(TIMEOUT).until(() -> this.handler.events.size() >= 4);
		assertThat(this.handler.events).containsExactly("open", "text:abc:false", "text:def:false", "text:gh:true");
	}

	@Test
	void abortDropsTheConnectionWithoutACloseFrameAndReports1006ExactlyOnce() throws Exception {
		server().onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		connection.abort();
		connection.abort();
		serverSide.awaitDisconnected();
		this.handler.awaitClose();
		await().during(QUIET).atMost(TIMEOUT).until(() -> this.handler.closes.size() == 1);
		assertThat(serverSide.frames()).noneMatch(WsTestFrame::isClose);
		assertThat(this.handler.closes).singleElement().asString().startsWith("1006");
		assertThat(this.handler.closeThread).isNotSameAs(Thread.currentThread());
	}

	@Test
	void serverCloseIsReportedWithItsCodeAndReasonAndAnswered() throws Exception {
		server().onConnect((connection) -> connection.close(4000, "bye"));
		connect(request(server().url()));
		this.handler.awaitClose();
		assertThat(this.handler.closes).containsExactly("4000:bye");
		assertThat(server().awaitConnection().awaitClose().closeCode()).isEqualTo(4000);
	}

	@Test
	void closeFrameWithoutStatusCodeIsReportedAs1005() throws Exception {
		server().onConnect(WsTestConnection::closeWithoutCode);
		connect(request(server().url()));
		this.handler.awaitClose();
		assertThat(this.handler.closes).containsExactly("1005");
	}

	@Test
	void serverDroppingTheConnectionIsReportedAs1006ExactlyOnce() throws Exception {
		server().onConnect(WsTestConnection::dropTcp);
		connect(request(server().url()));
		this.handler.awaitClose();
		await().during(QUIET).atMost(TIMEOUT).until(() -> this.handler.closes.size() == 1);
		assertThat(this.handler.closes).singleElement().asString().startsWith("1006");
	}

	@Test
	void pingIsAnsweredWithAPongCarryingTheSamePayload() throws Exception {
		server().onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server().url()));
		connection.sendPing(ByteBuffer.wrap("ping-42".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> this.handler.events.contains("pong:ping-42"));
	}

	@Test
	void sendCloseLeavesTheConnectionOpenUntilTheServerAnswers() throws Exception {
		WsConnection connection = connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		// set here, not in an onConnect script: the server reads frames before its script
		// runs, so a close sent at once could be answered first
		serverSide.ignoreClose();
		connection.sendClose(1001, "going away").get(10, TimeUnit.SECONDS);
		assertThat(serverSide.awaitClose().closeCode()).isEqualTo(1001);
		// the closing handshake is not cut short: the connection waits for the server's
		// close
		await().during(QUIET).atMost(TIMEOUT).until(serverSide::isOpen);
		connection.abort();
		serverSide.awaitDisconnected();
		this.handler.awaitClose();
		assertThat(this.handler.closes).hasSize(1);
	}

	@Test
	void sendCloseSendsACloseFrameWithTheCodeAndReasonAndEndsWhenTheServerAnswers() throws Exception {
		server().onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		connection.sendClose(4001, "done").get(10, TimeUnit.SECONDS);
		WsTestFrame close = serverSide.awaitClose();
		assertThat(close.closeCode()).isEqualTo(4001);
		assertThat(close.closeReason()).isEqualTo("done");
		this.handler.awaitClose();
		serverSide.awaitDisconnected();
		await().during(QUIET).atMost(TIMEOUT).until(() -> this.handler.closes.size() == 1);
		assertThat(this.handler.closes).singleElement().asString().startsWith("4001");
		assertThat(this.handler.closeThread).isNotSameAs(Thread.currentThread());
	}

	@Test
	void stalledHandshakeFailsAfterTheConnectTimeoutWithoutShowingTheQuery() {
		CountDownLatch release = new CountDownLatch(1);
		server().handshake((handshake) -> {
			awaitQuietly(release);
			return WsTestHandshakeResponse.accept();
		});
		try {
			WsConnectRequest request = new WsConnectRequest(server().url("/slow?key=secret"), List.of(), List.of(),
					Map.of(), Duration.ofMillis(500), 1024, null);
			long start = System.nanoTime();
			Throwable failure = connectFailure(request);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(450),
					Duration.ofSeconds(5));
			assertThat(failure).isInstanceOf(TimeoutException.class).hasMessageNotContaining("secret");
		}
		finally {
			release.countDown();
		}
		// the handshake the server completes late must not show up as an open connection
		server().awaitConnection().awaitDisconnected();
		assertThat(this.handler.events).isEmpty();
	}

	@Test
	void closingTheTransportDropsOpenConnectionsAndRefusesNewOnes() throws Exception {
		server().onConnect((connection) -> {
		});
		connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		transport().close();
		serverSide.awaitDisconnected();
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1006");
		assertThat(connectFailure(request(server().url()))).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void connectTimeoutClosesTheSocketOfAHandshakeTheServerNeverAnswers() throws Exception {
		try (SilentHandshakeServer silent = SilentHandshakeServer.start()) {
			long start = System.nanoTime();
			CompletableFuture<WsConnection> connect = transport().connect(timingOut(silent, Duration.ofSeconds(1)),
					this.handler);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> !silent.accepted().isEmpty() && silent.open() == 0);
			long closedAfterMillis = (silent.accepted().get(0).closedNanos() - start) / 1_000_000;
			// connect-timeout=1s; the upper bound leaves room for a loaded machine (a
			// socket
			// that is not let go stays open until the server answers: never)
			assertThat(closedAfterMillis).isBetween(950L, 5_000L);
			assertThat(this.handler.events).isEmpty();
		}
	}

	@Test
	void repeatedTimedOutAttemptsDoNotPinSockets() throws Exception {
		try (SilentHandshakeServer silent = SilentHandshakeServer.start()) {
			for (int i = 0; i < 5; i++) {
				CompletableFuture<WsConnection> connect = transport().connect(timingOut(silent, Duration.ofMillis(300)),
						this.handler);
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect.get(10, TimeUnit.SECONDS));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> silent.accepted().size() == 5 && silent.open() == 0);
		}
	}

	@Test
	void pipelinedSendsArriveCompleteAndInOrder() throws Exception {
		server().onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		List<String> sent = new ArrayList<>();
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			String text = "message " + i + " " + "x".repeat(i % 50);
			sent.add(text);
			futures.add(connection.sendText(text, true));
		}
		for (int i = 0; i < 5; i++) {
			futures.add(connection.sendPing(ByteBuffer.wrap(new byte[] { (byte) i })));
		}
		CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
		assertThat(serverSide.awaitTexts(1000)).containsExactlyElementsOf(sent);
		assertThat(serverSide.awaitFrame((frame) -> frame.isPing() && frame.payload()[0] == 4)).isNotNull();
	}

	@Test
	void closeGoesOutAfterTheDataSentBeforeIt() throws Exception {
		server().onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server().url()));
		WsTestConnection serverSide = server().awaitConnection();
		String large = "x".repeat(1024 * 1024);
		connection.sendText(large, true);
		connection.sendClose(1001, "").get(10, TimeUnit.SECONDS);
		serverSide.awaitClose();
		assertThat(serverSide.texts()).containsExactly(large);
	}

	@Test
	void serverPingIsAnsweredByTheTransport() throws Exception {
		server().onConnect((connection) -> connection.sendPing(new byte[] { 7, 8 }));
		connect(request(server().url()));
		WsTestFrame pong = server().awaitConnection().awaitFrame(WsTestFrame::isPong);
		assertThat(pong.payload()).containsExactly(7, 8);
	}

	@Test
	void invalidUtf8IsReportedAs1007() throws Exception {
		server().onConnect((connection) -> connection.sendFrame(WsTestFrame.TEXT, true, 0, false,
				new byte[] { 'a', (byte) 0xC3, (byte) 0x28 }));
		connect(request(server().url()));
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1007");
		WsTestConnection serverSide = server().awaitConnection();
		serverSide.awaitDisconnected();
		assertThat(serverSide.frames()).filteredOn(WsTestFrame::isClose)
			.allSatisfy((close) -> assertThat(close.closeCode()).isEqualTo(1007));
	}

	@Test
	void aHandlerThatBlocksInOnTextHoldsBackTheNextMessage() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		RecordingHandler handler = new RecordingHandler() {

			@Override
			public void onText(String text, boolean last) {
				super.onText(text, last);
				if (text.equals("one")) {
					awaitQuietly(release);
				}
			}

		};
		server().onConnect((connection) -> {
			connection.sendText("one");
			connection.sendText("two");
		});
		connect(request(server().url()), handler);
		await().atMost(TIMEOUT).until(() -> handler.events.contains("text:one:true"));
		await().during(QUIET).atMost(TIMEOUT).until(() -> !handler.events.contains("text:two:true"));
		release.countDown();
		await().atMost(TIMEOUT).until(() -> handler.events.contains("text:two:true"));
		assertThat(handler.events).containsExactly("open", "text:one:true", "text:two:true");
	}

	@Test
	void abortWhileTheHandlerIsInsideACallbackReportsTheCloseAfterItReturns() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		RecordingHandler handler = new RecordingHandler() {

			@Override
			public void onText(String text, boolean last) {
				inside.incrementAndGet();
				super.onText(text, last);
				awaitQuietly(release);
				inside.decrementAndGet();
			}

			@Override
			public void onClose(int code, String reason) {
				if (inside.get() != 0) {
					overlaps.incrementAndGet();
				}
				super.onClose(code, reason);
			}

		};
		server().onConnect((connection) -> connection.sendText("hold"));
		WsConnection connection = connect(request(server().url()), handler);
		await().atMost(TIMEOUT).until(() -> handler.events.contains("text:hold:true"));
		connection.abort();
		await().during(QUIET).atMost(TIMEOUT).until(handler.closes::isEmpty);
		release.countDown();
		handler.awaitClose();
		assertThat(handler.closes).singleElement().asString().startsWith("1006");
		assertThat(overlaps).hasValue(0);
	}

	@Test
	void inboundFragmentsNeverSplitAUtf8Sequence() throws Exception {
		String text = "h\u00e9llo w\u00f6rld \u20ac \uD83D\uDE00 end";
		server().onConnect((connection) -> connection.sendFragmentedText(text, 1));
		connect(request(server().url()));
		await().atMost(TIMEOUT).until(() -> this.handler.texts.stream().anyMatch((part) -> part.last()));
		String joined = String.join("", this.handler.texts.stream().map((part) -> part.text()).toList());
		assertThat(joined).isEqualTo(text);
		assertThat(this.handler.texts).allSatisfy((part) -> assertThat(part.text()).doesNotContain("\uFFFD"));
		assertThat(this.handler.texts.subList(0, this.handler.texts.size() - 1)).noneMatch((part) -> part.last());
	}

	@Test
	void abortFromWithinOnOpenStillOpensAndThenReports1006() throws Exception {
		server().onConnect((connection) -> {
		});
		RecordingHandler aborting = new RecordingHandler() {

			@Override
			public void onOpen(WsConnection connection) {
				super.onOpen(connection);
				connection.abort();
			}

		};
		transport().connect(request(server().url()), aborting).get(10, TimeUnit.SECONDS);
		aborting.awaitClose();
		assertThat(aborting.events).containsExactly("open", "close");
		assertThat(aborting.closes).singleElement().asString().startsWith("1006");
		server().awaitConnection().awaitDisconnected();
	}

	/**
	 * Connect with {@link #handler} and check that it heard of the open first.
	 * @param request the request
	 * @return the open connection
	 * @throws Exception when the connect fails or takes longer than 10 s
	 */
	protected WsConnection connect(WsConnectRequest request) throws Exception {
		WsConnection connection = connect(request, this.handler);
		assertThat(this.handler.events).first().isEqualTo("open");
		return connection;
	}

	/**
	 * Connect with a handler of the test's own.
	 * @param request the request
	 * @param handler the handler
	 * @return the open connection
	 * @throws Exception when the connect fails or takes longer than 10 s
	 */
	protected WsConnection connect(WsConnectRequest request, WsConnectionHandler handler) throws Exception {
		return transport().connect(request, handler).get(10, TimeUnit.SECONDS);
	}

	/**
	 * Connect with {@link #handler}, expecting the connect to fail.
	 * @param request the request
	 * @return what it failed with
	 */
	protected Throwable connectFailure(WsConnectRequest request) {
		return failure(transport().connect(request, this.handler), TIMEOUT);
	}

	/**
	 * What a future fails with, waiting for it.
	 * @param future the future
	 * @param timeout how long it may take
	 * @return the failure (unwrapped from the {@link ExecutionException})
	 */
	public static Throwable failure(CompletableFuture<?> future, Duration timeout) {
		try {
			Object result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			throw new AssertionError("Expected a failure, got " + result);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Neither completed nor failed within " + timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * A request with no subprotocols, extensions nor headers, a 5 s connect timeout and a
	 * 1 MiB message limit.
	 * @param uri the server's address
	 * @return the request
	 */
	protected static WsConnectRequest request(URI uri) {
		return new WsConnectRequest(uri, List.of(), List.of(), Map.of(), Duration.ofSeconds(5), 1024 * 1024, null);
	}

	/**
	 * Wait up to 10 s for a latch, from a callback that cannot throw.
	 * @param latch the latch
	 */
	protected static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static WsConnectRequest timingOut(SilentHandshakeServer server, Duration connectTimeout) {
		return new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(), connectTimeout, 1024 * 1024, null);
	}

	/**
	 * A text part as the handler received it.
	 *
	 * @param text the text
	 * @param last whether it ends its message
	 */
	public record Part(String text, boolean last) {
	}

	/** Records every callback as text. */
	public static class RecordingHandler implements WsConnectionHandler {

		/**
		 * Every callback: {@code open}, {@code text:<text>:<last>}, ..., {@code close}.
		 */
		public final List<String> events = new CopyOnWriteArrayList<>();

		/** The text parts, in order. */
		public final List<Part> texts = new CopyOnWriteArrayList<>();

		/** Each close as {@code <code>} or {@code <code>:<reason>}. */
		public final List<String> closes = new CopyOnWriteArrayList<>();

		/** The thread of the last close callback. */
		public volatile @Nullable Thread closeThread;

		@Override
		public void onOpen(WsConnection connection) {
			this.events.add("open");
		}

		@Override
		public void onText(String text, boolean last) {
			this.texts.add(new Part(text, last));
			this.events.add("text:" + text + ":" + last);
		}

		@Override
		public void onBinary(ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.events.add("binary:" + Arrays.toString(bytes) + ":" + last);
		}

		@Override
		public void onPong(ByteBuffer payload) {
			this.events.add("pong:" + StandardCharsets.UTF_8.decode(payload));
		}

		@Override
		public void onClose(int code, String reason) {
			this.closeThread = Thread.currentThread();
			this.closes.add(code + (reason.isEmpty() ? "" : ":" + reason));
			this.events.add("close");
		}

		/** Wait up to 10 s for the close. */
		public void awaitClose() {
			await().atMost(TIMEOUT).until(() -> !this.closes.isEmpty());
		}

	}

}
