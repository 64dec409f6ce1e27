package dev.wsboot.interop;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Tyrus's server on a Grizzly {@link HttpServer} built here, so that it listens on
 * 127.0.0.1 with random ports (Tyrus's own {@code Server} binds 0.0.0.0 and maps port 0
 * to 8025). Tyrus has no permessage-deflate of its own: it declines the offer.
 */
final class TyrusServer implements InteropServer {

	private final HttpServer server = new HttpServer();

	private final NetworkListener plain = new NetworkListener("plain", "127.0.0.1", 0);

	private final NetworkListener secure = new NetworkListener("secure", "127.0.0.1", 0);

	TyrusServer() {
		Container container = new Container();
		try {
			container.register(ServerEndpointConfig.Builder.create(EchoEndpoint.class, "/echo")
				.subprotocols(PeerScript.SUBPROTOCOLS)
				.build());
		}
		catch (DeploymentException ex) {
			throw new IllegalStateException(ex);
		}
		this.secure.setSecure(true);
		this.secure
			.setSSLEngineConfig(new SSLEngineConfigurator(TestCertificate.get().serverContext(), false, false, false));
		for (NetworkListener listener : List.of(this.plain, this.secure)) {
			listener.registerAddOn(new WebSocketAddOn(container, ""));
			// as Tyrus's own Server does: endpoints (which block in sends) run on
			// workers, not on
			// the selector thread their writes need
			listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
			this.server.addListener(listener);
		}
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Tyrus did not start", ex);
		}
	}

	@Override
	public String name() {
		return "Tyrus server on Grizzly";
	}

	@Override
	public URI url(String path) {
		return URI.create("ws://127.0.0.1:" + this.plain.getPort() + path);
	}

	@Override
	public URI secureUrl(String path) {
		return URI.create("wss://127.0.0.1:" + this.secure.getPort() + path);
	}

	@Override
	public List<DeflateVariant> deflateVariants() {
		return List.of();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	/** The server container: endpoints registered straight into the engine. */
	private static final class Container extends TyrusServerContainer {

		private final WebSocketEngine engine = TyrusWebSocketEngine.builder(this)
			.incomingBufferSize(PeerScript.MAX_MESSAGE_SIZE + 1024)
			.build();

		Container() {
			super(Set.<Class<?>>of());
			setDefaultMaxTextMessageBufferSize(PeerScript.MAX_MESSAGE_SIZE);
			setDefaultMaxBinaryMessageBufferSize(PeerScript.MAX_MESSAGE_SIZE);
		}

		@Override
		public void register(Class<?> endpointClass) throws DeploymentException {
			this.engine.register(endpointClass, "");
		}

		@Override
		public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
			this.engine.register(serverEndpointConfig, "");
		}

		@Override
		public WebSocketEngine getWebSocketEngine() {
			return this.engine;
		}

		@Override
		public Map<String, Object> getProperties() {
			return Map.of();
		}

	}

	/** {@link PeerScript} on a Jakarta WebSocket session. */
	public static final class EchoEndpoint extends Endpoint implements PeerScript.Peer {

		private Session session;

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			this.session = session;
			session.setMaxTextMessageBufferSize(PeerScript.MAX_MESSAGE_SIZE);
			session.setMaxBinaryMessageBufferSize(PeerScript.MAX_MESSAGE_SIZE);
			session.addMessageHandler(String.class,
					(MessageHandler.Whole<String>) (text) -> PeerScript.run(() -> PeerScript.onText(this, text)));
			session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) (data) -> PeerScript
				.run(() -> PeerScript.onBinary(this, bytes(data))));
			session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) (pong) -> PeerScript
				.run(() -> PeerScript.onPong(this, bytes(pong.getApplicationData()))));
		}

		@Override
		public void text(String text, boolean last) throws Exception {
			this.session.getBasicRemote().sendText(text, last);
		}

		@Override
		public void binary(byte[] data, boolean last) throws Exception {
			this.session.getBasicRemote().sendBinary(ByteBuffer.wrap(data), last);
		}

		@Override
		public void ping(byte[] payload) throws Exception {
			this.session.getBasicRemote().sendPing(ByteBuffer.wrap(payload));
		}

		@Override
		public void close(int code, String reason) throws Exception {
			this.session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
		}

		private static byte[] bytes(ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}

	}

}
