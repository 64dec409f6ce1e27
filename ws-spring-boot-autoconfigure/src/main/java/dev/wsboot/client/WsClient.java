package dev.wsboot.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A managed, long-lived WebSocket client connection: one bean per configured
 * {@code ws.clients.<name>}, named after the client (one per shard with
 * {@code ws.clients.<name>.shards}), or created at run time with
 * {@link WsClients#create(String, java.util.function.Consumer)}.
 * <p>
 * Sends never lose a message silently: each returns a future that completes when the whole
 * message was handed to the socket, or fails with a {@link WsSendException} when it cannot
 * be. Messages sent while the client is {@code NEW}, {@code CONNECTING} or
 * {@code RECONNECTING} are queued (within {@code send-buffer-limit}) and written in order
 * once open; messages sent from a {@link dev.wsboot.client.event.WsClientOpenedEvent}
 * listener go out before them.
 */
public interface WsClient {

	/**
	 * The client's name, as configured under {@code ws.clients}.
	 * @return the name
	 */
	String name();

	/**
	 * The endpoint this client connects to.
	 * @return the configured URL
	 */
	URI url();

	/**
	 * The client's current state.
	 * @return the state
	 */
	WsClientState state();

	/**
	 * Whether a connection is open.
	 * @return {@code true} when {@link #state()} is {@link WsClientState#OPEN}
	 */
	default boolean isOpen() {
		return state() == WsClientState.OPEN;
	}

	/**
	 * Send a text message.
	 * @param text the message
	 * @return completes when the message was handed to the socket
	 */
	CompletableFuture<Void> sendText(CharSequence text);

	/**
	 * Send a binary message. The buffer is read from its position to its limit, and must not
	 * be changed until the future completes.
	 * @param data the message
	 * @return completes when the message was handed to the socket
	 */
	CompletableFuture<Void> sendBinary(ByteBuffer data);

	/**
	 * Send a binary message.
	 * @param data the message (not copied: do not change it until the future completes)
	 * @return completes when the message was handed to the socket
	 */
	default CompletableFuture<Void> sendBinary(byte[] data) {
		return sendBinary(ByteBuffer.wrap(data));
	}

	/**
	 * Send an object as a JSON text message, written with the application's JSON mapper.
	 * @param payload the object to serialize
	 * @return completes when the message was handed to the socket; fails with a
	 * {@link WsSendException} when the payload cannot be serialized
	 */
	CompletableFuture<Void> sendObject(Object payload);

	/**
	 * Connect, and keep reconnecting after failures. Does nothing when already open or
	 * connecting.
	 */
	void connect();

	/**
	 * Close the connection with the given code and stay closed (no reconnect). Queued sends
	 * fail.
	 * @param code the close code, e.g. 1000
	 * @param reason the close reason
	 * @return completes when the connection is closed
	 */
	CompletableFuture<Void> close(int code, String reason);

	/**
	 * Drop the TCP connection without a close frame, then reconnect as after any failure.
	 */
	void terminate();

	/**
	 * Bytes of messages accepted by {@code send*} but not yet written to the socket.
	 * @return the buffered byte count
	 */
	long bufferedAmount();

	/**
	 * The last measured ping to pong round trip.
	 * @return the latency, empty before the first pong
	 */
	Optional<Duration> latency();

	/**
	 * When the last frame of any kind was received.
	 * @return the time, empty before the first frame
	 */
	Optional<Instant> lastMessageReceived();

	/**
	 * The subprotocol the server selected for the current connection.
	 * @return the subprotocol, empty when none or not connected
	 */
	Optional<String> subprotocol();

	/**
	 * The extensions negotiated for the current connection.
	 * @return the extension names, empty when none or not connected
	 */
	List<String> extensions();

	/**
	 * Send a request and wait for its reply, matched by the JSON Pointers configured under
	 * {@code ws.clients.<name>.correlation}: the request gets an id at {@code request-id}
	 * when it has none there (an increasing integer per client); the reply whose value at
	 * {@code reply-id} has the same text (so {@code 7} and {@code "7"} match) completes the
	 * future with its {@code reply-payload} part converted to {@code replyType}, and reaches
	 * no {@code @WsListener}. Waits at most {@code correlation.timeout}.
	 * @param <T> the reply type
	 * @param message the request: JSON text, or an object written as JSON
	 * @param replyType the type to convert the reply to
	 * @return completes with the reply; fails with a {@link WsRequestException} when the
	 * reply carries an error at {@code correlation.error}, with a {@link WsSendException}
	 * when the request cannot be sent or its connection ends first, with a
	 * {@link java.util.concurrent.TimeoutException} when no reply comes in time
	 * @throws IllegalStateException when {@code correlation.request-id} is not set
	 * @throws IllegalArgumentException when the message is not a JSON object, or a request
	 * with its id is still waiting for a reply
	 */
	default <T> CompletableFuture<T> request(Object message, Class<T> replyType) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support request()");
	}

	/**
	 * Send a request and wait for its reply at most {@code timeout}; otherwise as
	 * {@link #request(Object, Class)}.
	 * @param <T> the reply type
	 * @param message the request: JSON text, or an object written as JSON
	 * @param replyType the type to convert the reply to
	 * @param timeout how long to wait for the reply
	 * @return completes with the reply
	 * @throws IllegalStateException when {@code correlation.request-id} is not set
	 */
	default <T> CompletableFuture<T> request(Object message, Class<T> replyType, Duration timeout) {
		throw new UnsupportedOperationException(getClass().getName() + " does not support request()");
	}

	/**
	 * Which shard of a sharded client ({@code ws.clients.<name>.shards}) this client is.
	 * @return the shard, empty for a client that is not a shard
	 */
	default Optional<WsShard> shard() {
		return Optional.empty();
	}

	/**
	 * A point-in-time view of this client for health, metrics and the {@code wsclients}
	 * endpoint (state, counters, masked URL).
	 * @return the snapshot, empty for clients not managed by this starter
	 */
	default Optional<WsClientSnapshot> snapshot() {
		return Optional.empty();
	}

}
