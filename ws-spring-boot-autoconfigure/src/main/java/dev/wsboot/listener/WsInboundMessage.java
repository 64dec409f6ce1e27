package dev.wsboot.listener;

import java.util.Map;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * The spring-messaging view of a received message, handed to the argument resolvers. The
 * client and the {@code last} flag travel as fields rather than headers, and the headers are
 * one shared empty instance without id or timestamp: nothing per message beyond this object.
 * {@link #toString()} never shows the payload, since conversion exceptions print it.
 */
final class WsInboundMessage implements Message<Object> {

	private static final MessageHeaders NO_HEADERS = new NoIdHeaders();

	private final Object payload;

	private final WsMessage source;

	private final WsClient client;

	WsInboundMessage(Object payload, WsMessage source, WsClient client) {
		this.payload = payload;
		this.source = source;
		this.client = client;
	}

	@Override
	public Object getPayload() {
		return this.payload;
	}

	@Override
	public MessageHeaders getHeaders() {
		return NO_HEADERS;
	}

	WsMessage source() {
		return this.source;
	}

	WsClient client() {
		return this.client;
	}

	boolean isLast() {
		return this.source.isLast();
	}

	@Override
	public String toString() {
		return this.source + " from client '" + this.client.name() + "'";
	}

	/**
	 * Empty headers: {@code MessageHeaders} would otherwise generate a random id and read the
	 * clock.
	 */
	private static final class NoIdHeaders extends MessageHeaders {

		private static final long serialVersionUID = 1L;

		NoIdHeaders() {
			super(Map.of(), ID_VALUE_NONE, -1L);
		}

	}

}
