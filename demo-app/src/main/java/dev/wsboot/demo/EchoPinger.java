package dev.wsboot.demo;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.event.WsClientOpenedEvent;

/**
 * Shows binary messages, sends before the connection is open, and the opened event: the
 * {@code echo} client sends a counter every second and receives it back.
 */
@Component
class EchoPinger {

	private final WsClient echo;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong echoed = new AtomicLong();

	EchoPinger(WsClient echo) {
		this.echo = echo;
	}

	@EventListener
	void onOpened(WsClientOpenedEvent event) {
		if (event.client().name().equals("echo")) {
			event.client().sendText("hello from the demo");
		}
	}

	@Scheduled(fixedRate = 1000)
	void send() {
		this.echo.sendBinary(ByteBuffer.allocate(Long.BYTES).putLong(0, this.sent.incrementAndGet()));
	}

	@WsListener("echo")
	void onEcho(ByteBuffer data) {
		this.echoed.set(data.getLong(0));
	}

	long echoed() {
		return this.echoed.get();
	}

}
