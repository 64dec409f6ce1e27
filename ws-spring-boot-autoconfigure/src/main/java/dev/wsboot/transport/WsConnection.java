package dev.wsboot.transport;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket connection as a transport sees it.
 * <p>
 * Sends are issued by one thread at a time, in order; a transport writes them in the
 * order they were issued and never blocks the caller on network I/O. Fragments of one
 * message ({@code last == false} then {@code last == true}) are never interleaved with
 * other data messages by the caller.
 */
public interface WsConnection {

	/**
	 * Send a text frame (a whole message when {@code last} is {@code true} and no
	 * fragment came before it).
	 * @param text the frame's text
	 * @param last whether this frame ends the message
	 * @return completes when the frame was handed to the socket
	 */
	CompletableFuture<Void> sendText(CharSequence text, boolean last);

	/**
	 * Send a binary frame.
	 * @param data the frame's bytes (consumed)
	 * @param last whether this frame ends the message
	 * @return completes when the frame was handed to the socket
	 */
	CompletableFuture<Void> sendBinary(ByteBuffer data, boolean last);

	/**
	 * Send a ping with the given application data (at most 125 bytes).
	 * @param payload the data the peer echoes back in its pong
	 * @return completes when the ping was handed to the socket
	 */
	CompletableFuture<Void> sendPing(ByteBuffer payload);

	/**
	 * Start the closing handshake. The handler's {@code onClose} follows when the peer
	 * answered or the connection ended.
	 * @param code the close code
	 * @param reason the close reason (at most 123 UTF-8 bytes)
	 * @return completes when the close frame was handed to the socket
	 */
	CompletableFuture<Void> sendClose(int code, String reason);

	/**
	 * Drop the TCP connection at once, without a close frame. The handler's
	 * {@code onClose} follows with 1006.
	 */
	void abort();

	/**
	 * Stop reading from this connection until {@link #resumeReading()}, without holding
	 * the calling thread: called by the handler from within a data callback when it
	 * cannot take more. Frames the transport has already read may still be delivered (at
	 * most the rest of one socket read); writes are not paused. Silence on a paused
	 * connection says nothing about the peer.
	 * @return {@code true} when reading will pause; {@code false} when this transport
	 * cannot pause reading this way (the handler then applies backpressure by holding the
	 * calling thread)
	 */
	default boolean pauseReading() {
		return false;
	}

	/**
	 * Read again after {@link #pauseReading()}; may be called from any thread, also when
	 * reading is not paused or the connection has ended.
	 */
	default void resumeReading() {
	}

	/**
	 * Whether this connection's messages are delivered on an event-loop thread, one that
	 * reads other connections too: the handler must never hold it, not even when its
	 * listeners fall behind. After {@link #pauseReading()} the handler takes what is
	 * still delivered (at most the rest of one socket read) instead of waiting for room.
	 * @return {@code false} unless the transport reads on an event loop
	 */
	default boolean readsOnEventLoop() {
		return false;
	}

	/**
	 * The subprotocol the server selected, if any.
	 * @return the negotiated subprotocol
	 */
	Optional<String> subprotocol();

	/**
	 * The extensions the server accepted, by name.
	 * @return the negotiated extensions
	 */
	List<String> extensions();

}
