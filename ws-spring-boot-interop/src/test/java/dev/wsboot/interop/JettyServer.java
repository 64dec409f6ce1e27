package dev.wsboot.interop;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;

/**
 * Jetty 12's WebSocket server (the Jetty API on Jetty core, no servlets). Its
 * permessage-deflate is on by default; {@code /deflate/<parameters>} makes the server
 * answer an offer with exactly those parameters.
 */
final class JettyServer implements InteropServer {

	/**
	 * What Jetty can be made to answer: it drops {@code *_max_window_bits} from its
	 * answer (its {@code java.util.zip} codec has only the 15-bit window), so no window
	 * variant.
	 */
	private static final List<String> DEFLATE_VARIANTS = List.of("server_no_context_takeover",
			"client_no_context_takeover", "server_no_context_takeover; client_no_context_takeover");

	private final Server server = new Server();

	private final ServerConnector plain;

	private final ServerConnector secure;

	JettyServer() {
		this.plain = new ServerConnector(this.server);
		this.plain.setHost("127.0.0.1");
		this.plain.setPort(0);
		SslContextFactory.Server tls = new SslContextFactory.Server();
		tls.setSslContext(TestCertificate.get().serverContext());
		this.secure = new ServerConnector(this.server, new SslConnectionFactory(tls, "http/1.1"),
				new HttpConnectionFactory());
		this.secure.setHost("127.0.0.1");
		this.secure.setPort(0);
		this.server.addConnector(this.plain);
		this.server.addConnector(this.secure);
		this.server.setHandler(WebSocketUpgradeHandler.from(this.server, (container) -> {
			container.setMaxTextMessageSize(PeerScript.MAX_MESSAGE_SIZE);
			container.setMaxBinaryMessageSize(PeerScript.MAX_MESSAGE_SIZE);
			container.setIdleTimeout(Duration.ofMinutes(1));
			container.addMapping("/echo", (request, response, callback) -> accept(request, response, null));
			for (String variant : DEFLATE_VARIANTS) {
				container.addMapping(path(variant),
						(request, response, callback) -> accept(request, response, "permessage-deflate; " + variant));
			}
		}));
		try {
			this.server.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Jetty did not start", ex);
		}
	}

	private static Endpoint accept(ServerUpgradeRequest request, ServerUpgradeResponse response,
			@Nullable String deflateAnswer) {
		for (String protocol : request.getSubProtocols()) {
			if (PeerScript.SUBPROTOCOLS.contains(protocol)) {
				response.setAcceptedSubProtocol(protocol);
				break;
			}
		}
		if (deflateAnswer != null && request.getExtensions()
			.stream()
			.anyMatch((extension) -> extension.getName().equals("permessage-deflate"))) {
			response.setExtensions(List.of(ExtensionConfig.parse(deflateAnswer)));
		}
		return new Endpoint();
	}

	private static String path(String variant) {
		return "/deflate/" + variant.replace("; ", "+");
	}

	@Override
	public String name() {
		return "Jetty " + Jetty.VERSION;
	}

	@Override
	public URI url(String path) {
		return URI.create("ws://127.0.0.1:" + this.plain.getLocalPort() + path);
	}

	@Override
	public URI secureUrl(String path) {
		return URI.create("wss://127.0.0.1:" + this.secure.getLocalPort() + path);
	}

	@Override
	public List<DeflateVariant> deflateVariants() {
		return Stream
			.concat(Stream.of(new DeflateVariant("/echo", "default (context takeover both ways)")),
					DEFLATE_VARIANTS.stream().map((variant) -> new DeflateVariant(path(variant), variant)))
			.toList();
	}

	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@link PeerScript} on a Jetty session. */
	public static final class Endpoint implements Session.Listener.AutoDemanding, PeerScript.Peer {

		private volatile Session session;

		@Override
		public void onWebSocketOpen(Session session) {
			this.session = session;
		}

		@Override
		public void onWebSocketText(String message) {
			PeerScript.run(() -> PeerScript.onText(this, message));
		}

		@Override
		public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
			byte[] data = new byte[payload.remaining()];
			payload.get(data);
			callback.succeed();
			PeerScript.run(() -> PeerScript.onBinary(this, data));
		}

		@Override
		public void onWebSocketPong(ByteBuffer payload) {
			byte[] data = new byte[payload.remaining()];
			payload.get(data);
			PeerScript.run(() -> PeerScript.onPong(this, data));
		}

		@Override
		public void text(String text, boolean last) throws Exception {
			send((callback) -> this.session.sendPartialText(text, last, callback));
		}

		@Override
		public void binary(byte[] data, boolean last) throws Exception {
			send((callback) -> this.session.sendPartialBinary(ByteBuffer.wrap(data), last, callback));
		}

		@Override
		public void ping(byte[] payload) throws Exception {
			send((callback) -> this.session.sendPing(ByteBuffer.wrap(payload), callback));
		}

		@Override
		public void close(int code, String reason) throws Exception {
			send((callback) -> this.session.close(code, reason, callback));
		}

		private static void send(Consumer<Callback> send) throws Exception {
			CompletableFuture<Void> sent = new CompletableFuture<>();
			send.accept(Callback.from(() -> sent.complete(null), sent::completeExceptionally));
			sent.get(30, TimeUnit.SECONDS);
		}

	}

}
