package dev.wsboot.transport.jdk;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestHandshakeResponse;
import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsTransport;
import dev.wsboot.transport.WsTransportContractTests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link JdkWsTransport} against a real server over loopback sockets: the transport
 * contract ({@link WsTransportContractTests}) and what is the jdk transport's own.
 */
class JdkWsTransportIntegrationTests extends WsTransportContractTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final JdkWsTransport transport = new JdkWsTransport();

	private final RecordingHandler handler = new RecordingHandler();

	@BeforeEach
	void resetServer() {
		server.reset();
	}

	@AfterEach
	void closeTransport() {
		this.transport.close();
	}

	@Override
	protected WsTransport transport() {
		return this.transport;
	}

	@Override
	protected WsTestServer server() {
		return server;
	}

	@Test
	void requestedExtensionsFailTheConnectBeforeAnyHandshake() {
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of("permessage-deflate"),
				Map.of(), Duration.ofSeconds(5), 1024, null);
		Throwable failure = connectFailure(request);
		assertThat(failure).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("jdk transport")
			.hasMessageContaining("permessage-deflate");
		assertThat(server.handshakes()).isEmpty();
	}

	@Test
	void restrictedHandshakeHeaderFailsTheConnectNamingTheHeaderButNotItsValue() {
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(),
				Map.of("Host", List.of("secret-host")), Duration.ofSeconds(5), 1024, null);
		Throwable failure = connectFailure(request);
		assertThat(failure).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'Host'")
			.hasMessageNotContaining("secret-host");
		assertThat(server.handshakes()).isEmpty();
	}

	@Test
	void invalidHandshakeHeaderValueFailsTheConnectWithoutShowingTheValue() {
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(),
				Map.of("Authorization", List.of("Bearer secret\r\nX-Injected: 1")), Duration.ofSeconds(5), 1024, null);
		Throwable failure = connectFailure(request);
		assertThat(failure).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'Authorization'")
			.hasMessageNotContaining("secret");
		assertThat(server.handshakes()).isEmpty();
	}

	@Test
	void stalledHandshakeFailsAfterTheConnectTimeout() {
		CountDownLatch release = new CountDownLatch(1);
		server.handshake((handshake) -> {
			awaitQuietly(release);
			return WsTestHandshakeResponse.accept();
		});
		try {
			WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(),
					Duration.ofMillis(500), 1024, null);
			long start = System.nanoTime();
			Throwable failure = connectFailure(request);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400),
					Duration.ofSeconds(5));
			assertThat(failure).hasMessageContaining("timed out");
		}
		finally {
			release.countDown();
		}
		// the handshake the server completes late must not show up in the next test
		server.awaitConnection().awaitDisconnected();
		assertThat(this.handler.events).isEmpty();
	}

	@Test
	void connectCompletesOnlyAfterTheHandlerOnOpenReturned() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		RecordingHandler handler = new RecordingHandler() {

			@Override
			public void onOpen(WsConnection connection) {
				super.onOpen(connection);
				awaitQuietly(release);
			}

		};
		server.onConnect((connection) -> connection.sendText("first"));
		CompletableFuture<WsConnection> future = this.transport.connect(request(server.url()), handler);
		await().atMost(TIMEOUT).until(() -> handler.events.contains("open"));
		await().during(QUIET).atMost(TIMEOUT).until(() -> !future.isDone() && handler.events.size() == 1);
		release.countDown();
		future.get(10, TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> handler.events.size() == 2);
		assertThat(handler.events).containsExactly("open", "text:first:true");
	}

	@Test
	void pipelinedSendsArriveCompleteAndInOrder() throws Exception {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		WsTestConnection serverSide = server.awaitConnection();
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
	void aFailedSendDoesNotHoldUpTheSendsAfterIt() throws Exception {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		WsTestConnection serverSide = server.awaitConnection();
		CompletableFuture<Void> broken = connection.sendText("\uD800 unpaired surrogate", true);
		CompletableFuture<Void> next = connection.sendText("next", true);
		next.get(10, TimeUnit.SECONDS);
		assertThat(broken).isCompletedExceptionally();
		assertThat(serverSide.awaitTexts(1)).containsExactly("next");
	}

	@Test
	void inboundFragmentsNeverSplitAUtf8Sequence() {
		String text = "h\u00e9llo w\u00f6rld \u20ac \uD83D\uDE00 end";
		server.onConnect((connection) -> connection.sendFragmentedText(text, 1));
		connect(request(server.url()));
		await().atMost(TIMEOUT).until(() -> this.handler.texts.stream().anyMatch((part) -> part.last));
		String joined = String.join("", this.handler.texts.stream().map((part) -> part.text).toList());
		assertThat(joined).isEqualTo(text);
		assertThat(this.handler.texts).allSatisfy((part) -> assertThat(part.text).doesNotContain("\uFFFD"));
		assertThat(this.handler.texts.subList(0, this.handler.texts.size() - 1)).noneMatch((part) -> part.last);
	}

	@Test
	void aLargeInboundFrameIsDeliveredInBoundedParts() {
		byte[] data = new byte[4 * 1024 * 1024];
		Arrays.fill(data, (byte) 7);
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		AtomicInteger lasts = new AtomicInteger();
		RecordingHandler handler = new RecordingHandler() {

			@Override
			public void onBinary(ByteBuffer part, boolean last) {
				sizes.add(part.remaining());
				if (last) {
					lasts.incrementAndGet();
				}
			}

		};
		server.onConnect((connection) -> connection.sendBinary(data));
		connect(request(server.url()), handler);
		await().atMost(TIMEOUT).until(() -> lasts.get() == 1);
		assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(data.length);
		assertThat(sizes).hasSizeGreaterThan(1).allSatisfy((size) -> assertThat(size).isLessThan(1024 * 1024));
	}

	@Test
	void sendCloseSendsACloseFrameWithTheCode() throws Exception {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		WsTestConnection serverSide = server.awaitConnection();
		connection.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
		WsTestFrame close = serverSide.awaitClose();
		assertThat(close.closeCode()).isEqualTo(1000);
		assertThat(close.closeReason()).isEqualTo("done");
		this.handler.awaitClose();
		assertThat(this.handler.closes).containsExactly("1000");
		serverSide.awaitDisconnected();
	}

	@Test
	void closeWithACodeTheJdkRefusesGoesOutAs1008AndIsReportedWithTheCodeAskedFor() throws Exception {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		WsTestConnection serverSide = server.awaitConnection();
		connection.sendClose(1009, "Message too big").get(10, TimeUnit.SECONDS);
		WsTestFrame close = serverSide.awaitClose();
		assertThat(close.closeCode()).isEqualTo(1008);
		assertThat(close.closeReason()).isEqualTo("Message too big");
		this.handler.awaitClose();
		assertThat(this.handler.closes).containsExactly("1009");
	}

	@Test
	void closeGoesOutAfterTheDataSentBeforeIt() throws Exception {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		WsTestConnection serverSide = server.awaitConnection();
		String large = "x".repeat(1024 * 1024);
		connection.sendText(large, true);
		connection.sendClose(1001, "").get(10, TimeUnit.SECONDS);
		serverSide.awaitClose();
		assertThat(serverSide.texts()).containsExactly(large);
	}

	@Test
	void closeWithACodeThatIsNeverSentFails() {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		CompletableFuture<Void> close = connection.sendClose(1005, "");
		assertThat(close).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void serverPingIsAnsweredByTheJdk() {
		server.onConnect((connection) -> connection.sendPing(new byte[] { 7, 8 }));
		connect(request(server.url()));
		WsTestFrame pong = server.awaitConnection().awaitFrame(WsTestFrame::isPong);
		assertThat(pong.payload()).containsExactly(7, 8);
	}

	@Test
	void protocolViolationIsReportedAs1002AndTheJdkDropsTheConnection() {
		server.onConnect((connection) -> connection.sendFrame(WsTestFrame.TEXT, true, 0, true, new byte[] { 'a' }));
		connect(request(server.url()));
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1002");
		WsTestConnection serverSide = server.awaitConnection();
		serverSide.awaitDisconnected();
		// the JDK races its own close frame against closing the socket
		assertThat(serverSide.frames()).filteredOn(WsTestFrame::isClose)
			.allSatisfy((close) -> assertThat(close.closeCode()).isEqualTo(1002));
	}

	@Test
	void invalidUtf8IsReportedAs1007() {
		server.onConnect((connection) -> connection.sendFrame(WsTestFrame.TEXT, true, 0, false,
				new byte[] { 'a', (byte) 0xC3, (byte) 0x28 }));
		connect(request(server.url()));
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1007");
		WsTestConnection serverSide = server.awaitConnection();
		serverSide.awaitDisconnected();
		assertThat(serverSide.frames()).filteredOn(WsTestFrame::isClose)
			.allSatisfy((close) -> assertThat(close.closeCode()).isEqualTo(1007));
	}

	@Test
	void aHandlerThatBlocksInOnTextHoldsBackTheNextMessage() {
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
		server.onConnect((connection) -> {
			connection.sendText("one");
			connection.sendText("two");
		});
		connect(request(server.url()), handler);
		await().atMost(TIMEOUT).until(() -> handler.events.contains("text:one:true"));
		await().during(QUIET).atMost(TIMEOUT).until(() -> !handler.events.contains("text:two:true"));
		release.countDown();
		await().atMost(TIMEOUT).until(() -> handler.events.contains("text:two:true"));
		assertThat(handler.events).containsExactly("open", "text:one:true", "text:two:true");
	}

	@Test
	void abortWhileTheHandlerIsInsideACallbackReportsTheCloseAfterItReturns() {
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
		server.onConnect((connection) -> connection.sendText("hold"));
		WsConnection connection = connect(request(server.url()), handler);
		await().atMost(TIMEOUT).until(() -> handler.events.contains("text:hold:true"));
		connection.abort();
		await().during(QUIET).atMost(TIMEOUT).until(handler.closes::isEmpty);
		release.countDown();
		handler.awaitClose();
		assertThat(handler.closes).singleElement().asString().startsWith("1006");
		assertThat(overlaps).hasValue(0);
	}

	private WsConnection connect(WsConnectRequest request) {
		return connect(request, this.handler);
	}

	private WsConnection connect(WsConnectRequest request, WsConnectionHandler handler) {
		return this.transport.connect(request, handler).orTimeout(10, TimeUnit.SECONDS).join();
	}

	private Throwable connectFailure(WsConnectRequest request) {
		CompletableFuture<WsConnection> future = this.transport.connect(request, this.handler);
		assertThat(future).failsWithin(TIMEOUT);
		return future.handle((connection, failure) -> failure).join();
	}

	private static WsConnectRequest request(URI uri) {
		return new WsConnectRequest(uri, List.of(), List.of(), Map.of(), Duration.ofSeconds(5), 1024 * 1024, null);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Part(String text, boolean last) {
	}

	/** Records every callback as text. */
	static class RecordingHandler implements WsConnectionHandler {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<Part> texts = new CopyOnWriteArrayList<>();

		final List<String> closes = new CopyOnWriteArrayList<>();

		volatile @Nullable Thread closeThread;

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

		void awaitClose() {
			await().atMost(TIMEOUT).until(() -> !this.closes.isEmpty());
		}

	}

}
