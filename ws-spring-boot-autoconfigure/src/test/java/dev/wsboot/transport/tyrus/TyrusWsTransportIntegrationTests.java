package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link TyrusWsTransport} against a real server over loopback sockets: the transport
 * contract ({@link WsTransportContractTests}) and what is the Tyrus transport's own.
 */
class TyrusWsTransportIntegrationTests extends WsTransportContractTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final TyrusWsTransport transport = new TyrusWsTransport();

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
	void unknownExtensionIsRejectedBeforeConnecting() {
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of("x-webkit-deflate-frame"),
				Map.of(), Duration.ofSeconds(5), 1024, null);
		assertThatIllegalArgumentException().isThrownBy(() -> this.transport.connect(request, this.handler))
			.withMessageContaining("x-webkit-deflate-frame");
		assertThat(server.handshakes()).isEmpty();
	}

	@Test
	void permessageDeflateIsNegotiatedAndCompressesBothWays() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of("permessage-deflate"),
				Map.of(), Duration.ofSeconds(5), 1024 * 1024, null);
		WsConnection connection = connect(request);
		assertThat(connection.extensions()).containsExactly("permessage-deflate");
		String text = "compress me ".repeat(200);
		connection.sendText(text, true).get(10, TimeUnit.SECONDS);
		connection.sendText(text, true).get(10, TimeUnit.SECONDS);
		WsTestConnection serverSide = server.awaitConnection();
		assertThat(serverSide.handshake().offersExtension("permessage-deflate")).isTrue();
		assertThat(serverSide.awaitTexts(2)).containsExactly(text, text);
		assertThat(serverSide.frames()).filteredOn(WsTestFrame::isText)
			.allSatisfy((frame) -> assertThat(frame.rsv()).isEqualTo(4))
			.allSatisfy((frame) -> assertThat(frame.size()).isLessThan(text.length() / 10));
		await().atMost(TIMEOUT).until(() -> this.handler.events.size() >= 3);
		assertThat(this.handler.events).containsExactly("open", "text:" + text + ":true", "text:" + text + ":true");
	}

	@Test
	void permessageDeflateCompressesFragmentedMessagesBothWays() throws Exception {
		String text = "fragment me ".repeat(300);
		server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		server.onConnect((connection) -> {
			connection.sendFragmentedText(text, 20);
			connection.sendText("after");
		});
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of("permessage-deflate"),
				Map.of(), Duration.ofSeconds(5), 1024 * 1024, null);
		WsConnection connection = connect(request);
		connection.sendText(text.substring(0, 1000), false);
		connection.sendText(text.substring(1000, 2000), false);
		connection.sendText(text.substring(2000), true);
		connection.sendText("plain", true).get(10, TimeUnit.SECONDS);
		WsTestConnection serverSide = server.awaitConnection();
		assertThat(serverSide.awaitTexts(2)).containsExactly(text, "plain");
		List<String> rsv = serverSide.frames()
			.stream()
			.filter((frame) -> !frame.isControl())
			.map((frame) -> frame.opcode() + ":" + frame.rsv())
			.toList();
		assertThat(rsv).containsExactly("1:4", "0:0", "0:0", "1:4");
		await().atMost(TIMEOUT).until(() -> this.handler.events.contains("text:after:true"));
		String received = this.handler.events.stream()
			.filter((event) -> event.startsWith("text:") && !event.equals("text:after:true"))
			.map((event) -> event.substring(5, event.lastIndexOf(':')))
			.reduce("", String::concat);
		assertThat(received).isEqualTo(text);
	}

	@Test
	void frameThatInflatesBeyondMaxMessageSizeClosesTheConnectionWith1009() throws Exception {
		server.handshake((handshake) -> WsTestHandshakeResponse.accept().withPermessageDeflate());
		server.onConnect((connection) -> connection.sendCompressedBomb(64 * 1024 * 1024));
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of("permessage-deflate"),
				Map.of(), Duration.ofSeconds(5), 64 * 1024, null);
		connect(request);
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1009:");
		assertThat(this.handler.events).containsExactly("open", "close");
		assertThat(server.awaitConnection().awaitClose().closeCode()).isEqualTo(1009);
	}

	@Test
	void frameLargerThanMaxMessageSizeClosesTheConnectionWith1009() throws Exception {
		server.onConnect((connection) -> connection.sendText("x".repeat(2000)));
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(),
				Duration.ofSeconds(5), 1024, null);
		connect(request);
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1009:");
		assertThat(this.handler.events).containsExactly("open", this.handler.events.get(1));
		assertThat(server.awaitConnection().awaitClose().closeCode()).isEqualTo(1009);
	}

	@Test
	void frameLargerThanTyrusReadBufferClosesTheConnectionWith1009() throws Exception {
		server.onConnect((connection) -> connection.sendBinary(new byte[3 * 1024 * 1024]));
		WsConnectRequest request = new WsConnectRequest(server.url(), List.of(), List.of(), Map.of(),
				Duration.ofSeconds(5), 1024, null);
		connect(request);
		this.handler.awaitClose();
		assertThat(this.handler.closes).singleElement().asString().startsWith("1009:");
		assertThat(server.awaitConnection().awaitClose().closeCode()).isEqualTo(1009);
	}

	@Test
	void connectFailuresDoNotShowTheQueryString() {
		URI uri = URI.create("http://127.0.0.1:" + server.port() + "/feed?token=secret");
		Throwable failure = failure(this.transport.connect(request(uri), this.handler), TIMEOUT);
		assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1");
		for (Throwable current = failure; current != null; current = current.getCause()) {
			assertThat(current.getMessage()).doesNotContain("secret");
		}
	}

	@Test
	void unknownContainerFailsTheTransportsCreation() {
		assertThatIllegalStateException().isThrownBy(() -> new TyrusWsTransport("com.example.NoSuchContainer"))
			.withMessageContaining("com.example.NoSuchContainer");
	}

	@Test
	void callbacksRunOnTransportThreadsOneAtATime() throws Exception {
		ConcurrencyCheckingHandler checking = new ConcurrencyCheckingHandler();
		server.onConnect((connection) -> {
			for (int i = 0; i < 200; i++) {
				connection.sendText("m" + i);
			}
			connection.close(1000, "done");
		});
		WsConnection connection = this.transport.connect(request(server.url()), checking).get(10, TimeUnit.SECONDS);
		for (int i = 0; i < 50; i++) {
			connection.sendPing(ByteBuffer.allocate(0));
		}
		await().atMost(TIMEOUT).until(() -> checking.closed.getCount() == 0);
		assertThat(checking.texts.get()).isEqualTo(200);
		assertThat(checking.overlaps.get()).isZero();
		assertThat(checking.threads).doesNotContain(Thread.currentThread());
	}

	@Test
	void messagesAreHandledOnTheSelectorThreadThatReadThemWithoutAHandOffToAWorker() throws Exception {
		ConcurrencyCheckingHandler checking = new ConcurrencyCheckingHandler();
		WsConnection connection = this.transport.connect(request(server.url()), checking).get(10, TimeUnit.SECONDS);
		WsTestConnection serverSide = server.awaitConnection();
		for (int i = 0; i < 100; i++) {
			serverSide.sendText("m" + i);
		}
		await().atMost(TIMEOUT).until(() -> checking.texts.get() == 100);
		assertThat(connection.readsOnEventLoop()).isTrue();
		assertThat(checking.textThreads).isNotEmpty().allMatch((name) -> name.endsWith(" SelectorRunner"));
	}

	@Test
	void anotherTyrusClientSharingTheGrizzlyTransportKeepsItsMessagesOnWorkerThreads() throws Exception {
		this.transport.connect(request(server.url()), new ConcurrencyCheckingHandler()).get(10, TimeUnit.SECONDS);
		server.awaitConnection();
		ClientManager raw = ClientManager.createClient(TyrusWsTransport.GRIZZLY_CONTAINER);
		raw.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
		Set<String> threads = ConcurrentHashMap.newKeySet();
		Session session = raw.connectToServer(new Endpoint() {
			@Override
			public void onOpen(Session session, EndpointConfig config) {
				session.addMessageHandler(String.class,
						(MessageHandler.Whole<String>) (text) -> threads.add(Thread.currentThread().getName()));
			}
		}, ClientEndpointConfig.Builder.create().build(), server.url());
		try {
			server.awaitConnection().sendText("to the raw client");
			await().atMost(TIMEOUT).until(() -> !threads.isEmpty());
			assertThat(threads).noneMatch((name) -> name.endsWith(" SelectorRunner"));
		}
		finally {
			session.close();
		}
	}

	@Test
	void closeFromWithinACallbackIsReportedAfterTheCallbackReturns() throws Exception {
		server.onConnect((connection) -> connection.sendText("close please"));
		ConcurrencyCheckingHandler checking = new ConcurrencyCheckingHandler() {

			@Override
			public void onText(String text, boolean last) {
				super.onText(text, last);
				this.connection.sendClose(1000, "as asked");
				this.events.add("after sendClose");
			}

		};
		this.transport.connect(request(server.url()), checking).get(10, TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> checking.closed.getCount() == 0);
		assertThat(checking.events).containsExactly("text", "after sendClose", "close:1000");
		assertThat(checking.overlaps.get()).isZero();
	}

	/** Counts callbacks that overlap and the threads they run on. */
	static class ConcurrencyCheckingHandler implements WsConnectionHandler {

		final AtomicInteger inside = new AtomicInteger();

		final AtomicInteger overlaps = new AtomicInteger();

		final AtomicInteger texts = new AtomicInteger();

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		final Set<String> textThreads = ConcurrentHashMap.newKeySet();

		final List<String> events = new CopyOnWriteArrayList<>();

		final CountDownLatch closed = new CountDownLatch(1);

		volatile @Nullable WsConnection connection;

		private void enter() {
			if (this.inside.incrementAndGet() != 1) {
				this.overlaps.incrementAndGet();
			}
			if (!this.threads.contains(Thread.currentThread())) {
				this.threads.add(Thread.currentThread());
			}
			Thread.onSpinWait();
		}

		private void exit() {
			this.inside.decrementAndGet();
		}

		@Override
		public void onOpen(WsConnection connection) {
			enter();
			this.connection = connection;
			exit();
		}

		@Override
		public void onText(String text, boolean last) {
			enter();
			this.textThreads.add(Thread.currentThread().getName());
			this.texts.incrementAndGet();
			this.events.add("text");
			exit();
		}

		@Override
		public void onBinary(ByteBuffer data, boolean last) {
			enter();
			exit();
		}

		@Override
		public void onPong(ByteBuffer payload) {
			enter();
			exit();
		}

		@Override
		public void onClose(int code, String reason) {
			enter();
			this.events.add("close:" + code);
			this.closed.countDown();
			exit();
		}

	}

}
