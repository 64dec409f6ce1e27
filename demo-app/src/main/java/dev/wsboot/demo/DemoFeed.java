package dev.wsboot.demo;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The demo's embedded feed (server side, so the demo needs no external server):
 * {@code /feed} streams JSON price ticks four times a second, {@code /echo} echoes.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class DemoFeed implements WebSocketConfigurer {

	private final TickHandler ticks = new TickHandler();

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this.ticks, "/feed");
		registry.addHandler(new EchoHandler(), "/echo");
	}

	@Scheduled(fixedRate = 250)
	void tick() {
		this.ticks.broadcast();
	}

	static final class TickHandler extends TextWebSocketHandler {

		private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

		private final AtomicLong seq = new AtomicLong();

		private volatile double price = 100.0;

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			this.sessions.add(new ConcurrentWebSocketSessionDecorator(session, 1000, 64 * 1024));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.sessions.removeIf((s) -> s.getId().equals(session.getId()));
		}

		void broadcast() {
			this.price = Math.max(1, this.price * (1 + ThreadLocalRandom.current().nextGaussian() / 500));
			String tick = "{\"symbol\":\"ACME\",\"price\":"
					+ BigDecimal.valueOf(this.price).setScale(2, RoundingMode.HALF_UP) + ",\"seq\":"
					+ this.seq.incrementAndGet() + "}";
			for (WebSocketSession session : this.sessions) {
				try {
					session.sendMessage(new TextMessage(tick));
				}
				catch (IOException | IllegalStateException ex) {
					this.sessions.remove(session);
				}
			}
		}

	}

	static final class EchoHandler extends AbstractWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			session.sendMessage(message);
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
			session.sendMessage(message);
		}

	}

}
