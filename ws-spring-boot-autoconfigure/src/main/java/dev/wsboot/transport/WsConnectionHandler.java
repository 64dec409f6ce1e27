package dev.wsboot.transport;

import java.nio.ByteBuffer;

/**
 * Receives what happens on one connection. A transport calls it from its own threads,
 * never concurrently for one connection, and in the order frames arrived.
 * <p>
 * Implementations must return quickly. To apply backpressure they call
 * {@link WsConnection#pauseReading()}; only where a transport cannot pause reading may
 * they hold the calling thread (which pauses reading of this one connection).
 */
public interface WsConnectionHandler {

	/**
	 * The handshake succeeded; called before any other method for this connection.
	 * @param connection the new connection
	 */
	void onOpen(WsConnection connection);

	/**
	 * A text frame arrived. An unfragmented message arrives in one call with
	 * {@code last == true}. Fragments never split a UTF-8 sequence.
	 * @param text the frame's text
	 * @param last whether this frame ended the message
	 */
	void onText(String text, boolean last);

	/**
	 * A binary frame arrived.
	 * @param data the frame's bytes, only valid during this call
	 * @param last whether this frame ended the message
	 */
	void onBinary(ByteBuffer data, boolean last);

	/**
	 * A pong arrived.
	 * @param payload the pong's application data
	 */
	void onPong(ByteBuffer payload);

	/**
	 * The connection ended; called exactly once per opened connection, last.
	 * @param code the close code: the peer's, 1005 when its close frame had none, 1006
	 * when the connection ended without a close frame, or the code this side failed the
	 * connection with (1002, 1007, 1009)
	 * @param reason the close reason, empty when none
	 */
	void onClose(int code, String reason);

}
