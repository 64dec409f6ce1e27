package dev.wsboot.listener;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * The spring-messaging view of a received message, handed to the argument resolvers. The
 * client and the {@code last} flag travel as fields; the headers (see
 * {@link WsMessageHeaders}) carry no id or timestamp, and are shared per client unless
 * the listener reads its matched values. {@link #toString()} never shows the payload,
 * since conversion exceptions print it.
 */
final class WsInboundMessage implements Message<Object> {

	private final Object payload;

	private final WsMessage source;

	private final WsClient client;

	private final MessageHeaders headers;

	WsInboundMessage(Object payload, WsMessage source, WsClient client, MessageHeaders headers) {
		this.payload = payload;
		this.source = source;
		this.client = client;
		this.headers = headers;
	}

	@Override
	public Object getPayload() {
		return this.payload;
	}

	@Override
	public MessageHeaders getHeaders() {
		return this.headers;
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
	 * The headers of a client's messages.
	 * @param clientName the client's name
	 * @param matched the values of the listener's matched pointers, by pointer, if any
	 * @return the headers
	 */
	static MessageHeaders headers(String clientName, @Nullable Map<String, Object> matched) {
		Map<String, Object> headers = new HashMap<>();
		headers.put(WsMessageHeaders.CLIENT, clientName);
		if (matched != null) {
			matched.forEach((pointer, value) -> headers.put(WsMessageHeaders.MATCH_PREFIX + pointer, value));
		}
		return new NoIdHeaders(headers);
	}

	/**
	 * Headers without id and timestamp: {@code MessageHeaders} would otherwise generate a
	 * random id and read the clock.
	 */
	private static final class NoIdHeaders extends MessageHeaders {

		private static final long serialVersionUID = 1L;

		NoIdHeaders(Map<String, Object> headers) {
			super(headers, ID_VALUE_NONE, -1L);
		}

	}

}
