package dev.wsboot.interop;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.catalina.util.ServerInfo;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import dev.wsboot.autoconfigure.WsAutoConfiguration;

/**
 * Tomcat's WebSocket server as a Spring Boot application gets it from
 * {@code spring-boot-starter-websocket}: a minimal application with a
 * {@code WebSocketHandler} at {@code /echo}, started twice (plain and TLS) on port 0.
 * Tomcat's permessage-deflate is on by default and takes no server-side parameters.
 */
final class TomcatServer implements InteropServer {

	private final ConfigurableApplicationContext plain;

	private final ConfigurableApplicationContext secure;

	TomcatServer() {
		this.plain = start();
		TestCertificate certificate = TestCertificate.get();
		this.secure = start("server.ssl.bundle=server",
				"spring.ssl.bundle.jks.server.keystore.location=file:" + certificate.keyStore().toAbsolutePath(),
				"spring.ssl.bundle.jks.server.keystore.password=" + TestCertificate.PASSWORD,
				"spring.ssl.bundle.jks.server.keystore.type=PKCS12");
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(EchoApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"logging.level.root=warn", "spring.jmx.enabled=false")
			.properties(properties)
			.run();
	}

	@Override
	public String name() {
		return ServerInfo.getServerInfo();
	}

	@Override
	public URI url(String path) {
		return URI.create("ws://127.0.0.1:" + port(this.plain) + path);
	}

	@Override
	public URI secureUrl(String path) {
		return URI.create("wss://127.0.0.1:" + port(this.secure) + path);
	}

	@Override
	public List<DeflateVariant> deflateVariants() {
		return List.of(new DeflateVariant("/echo", "default (Tomcat answers what the client offered)"));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Override
	public void close() {
		this.plain.close();
		this.secure.close();
	}

	/** The server application: nothing but the WebSocket handler. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = WsAutoConfiguration.class)
	@EnableWebSocket
	static class EchoApplication implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new EchoHandler(), "/echo");
		}

		@Bean
		ServletServerContainerFactoryBean webSocketContainer() {
			ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
			container.setMaxTextMessageBufferSize(PeerScript.MAX_MESSAGE_SIZE);
			container.setMaxBinaryMessageBufferSize(PeerScript.MAX_MESSAGE_SIZE);
			return container;
		}

	}

	/** {@link PeerScript} on a Spring {@link WebSocketSession}. */
	static final class EchoHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

		@Override
		public List<String> getSubProtocols() {
			return PeerScript.SUBPROTOCOLS;
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			PeerScript.onText(new SessionPeer(session), message.getPayload());
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
			PeerScript.onBinary(new SessionPeer(session), bytes(message.getPayload()));
		}

		@Override
		protected void handlePongMessage(WebSocketSession session, PongMessage message) throws Exception {
			PeerScript.onPong(new SessionPeer(session), bytes(message.getPayload()));
		}

		private static byte[] bytes(ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}

	}

	private record SessionPeer(WebSocketSession session) implements PeerScript.Peer {

		@Override
		public void text(String text, boolean last) throws Exception {
			this.session.sendMessage(new TextMessage(text, last));
		}

		@Override
		public void binary(byte[] data, boolean last) throws Exception {
			this.session.sendMessage(new BinaryMessage(data, last));
		}

		@Override
		public void ping(byte[] payload) throws Exception {
			this.session.sendMessage(new PingMessage(ByteBuffer.wrap(payload)));
		}

		@Override
		public void close(int code, String reason) throws Exception {
			this.session.close(new CloseStatus(code, reason));
		}

	}

}
