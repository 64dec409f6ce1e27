package dev.wsboot.transport.jdk;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.test.WsTestConnection;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
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
	void aLargeInboundFrameIsDeliveredInBoundedParts() throws Exception {
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
	void closeWithACodeThatIsNeverSentFails() throws Exception {
		server.onConnect((connection) -> {
		});
		WsConnection connection = connect(request(server.url()));
		CompletableFuture<Void> close = connection.sendClose(1005, "");
		assertThat(close).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void protocolViolationIsReportedAs1002AndTheJdkDropsTheConnection() throws Exception {
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

}
