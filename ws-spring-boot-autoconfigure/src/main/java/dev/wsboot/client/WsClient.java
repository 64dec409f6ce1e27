package dev.wsboot.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A managed, long-lived WebSocket client connection: one bean per configured
 * {@code ws.clients.<name>}, named after the client (one per shard with
 * {@code ws.clients.<name>.shards}), or created at run time with
 * {@link WsClients#create(String, java.util.function.Consumer)}.
 * <p>
 * Sends never lose a message silently: each returns a future that completes when the
 * whole message was handed to the socket, or fails with a {@link WsSendException} when it
 * cannot be. Messages sent while the client is {@code NEW}, {@code CONNECTING} or
 * {@code RECONNECTING} are queued (within {@code send-buffer-limit}) and written in order
 * once open; messages sent from a {@link dev.wsboot.client.event.WsClientOpenedEvent}
 * listener go out before them.
 * <p>
 * The futures of sends and of {@link #close(int, String)} complete on whichever thread
 * finished the work: the sending thread, or a transport I/O thread that serves other
 * connections too (on the default transport, when the connection ends, a Grizzly selector
 * thread). Do not block in callbacks attached to them; use the {@code ...Async} variants
 * for slow work.
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
	 * Send a binary message. The buffer is read from its position to its limit, and must
	 * not be changed until the future completes.
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
	 * Close the connection with the given code and stay closed (no reconnect). Queued
	 * sends fail.
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
	 * Send a request and wait for its reply, matched by the JSON Pointers configured
	 * under {@code ws.clients.<name>.correlation}: the request gets an id at
	 * {@code request-id} when it has none there (an increasing integer per client); the
	 * reply whose value at {@code reply-id} has the same text (so {@code 7} and
	 * {@code "7"} match) completes the future with its {@code reply-payload} part
	 * converted to {@code replyType}, and reaches no {@code @WsListener}. Waits at most
	 * {@code correlation.timeout}.
	 * @param <T> the reply type
	 * @param message the request: JSON text, or an object written as JSON
	 * @param replyType the type to convert the reply to
	 * @return completes with the reply; fails with a {@link WsRequestException} when the
	 * reply carries an error at {@code correlation.error}, with a {@link WsSendException}
	 * when the request cannot be sent or its connection ends first, with a
	 * {@link java.util.concurrent.TimeoutException} when no reply comes in time
	 * @throws IllegalStateException when {@code correlation.request-id} is not set
	 * @throws IllegalArgumentException when the message is not a JSON object, or a
	 * request with its id is still waiting for a reply
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

	// protocols: what real WebSocket APIs need on top of frames

	/**
	 * Run the protocol's own heartbeat on the current connection: {@code beat.get()} is
	 * sent every {@code interval} (a {@link CharSequence} as text, anything else as
	 * JSON), the first after a random fraction of {@code interval}, on the starter's
	 * timer. A beat due while the previous one was not {@link WsHeartbeat#acknowledged()
	 * acknowledged} means the connection is dead: it is dropped and reconnected, as after
	 * an idle timeout. Heartbeats pass the ready gate and go out ahead of queued
	 * messages. The heartbeat ends with its connection (call this again for the next one,
	 * typically on the protocol's hello); a heartbeat already running on the connection
	 * is replaced.
	 * @param interval the time between beats
	 * @param beat creates each beat, on the timer thread
	 * @return the heartbeat; not active when no connection is open
	 */
	default WsHeartbeat heartbeat(Duration interval, Supplier<?> beat) {
		throw new UnsupportedOperationException("Client '" + name() + "' does not support protocol heartbeats");
	}

	/**
	 * Send the following connection attempts to another URL (e.g. Discord's
	 * {@code resume_gateway_url}) until {@link #resetUrl()}; the current connection is
	 * not affected. {@link #url()} stays the configured URL; health and the
	 * {@code wsclients} endpoint show the URL in use, masked.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @throws IllegalArgumentException when the URL is not a ws:// or wss:// URL with a
	 * host
	 */
	default void redirect(URI url) {
		throw new UnsupportedOperationException("Client '" + name() + "' does not support redirects");
	}

	/**
	 * Send the following connection attempts to the configured {@link #url()} again.
	 */
	default void resetUrl() {
	}

	/**
	 * Close the connection with the given code (close handshake), then connect again at
	 * once: no back-off delay and no failed attempt counted. Unlike
	 * {@link #close(int, String)} the client keeps running; messages sent meanwhile wait
	 * for the new connection. When no connection is open the client connects (now, if it
	 * was waiting for a back-off delay).
	 * @param code the close code: 1000, 1001-1003, 1007-1014 or 3000-4999 (e.g. a code
	 * other than 1000/1001 keeps a Discord session resumable)
	 * @param reason the close reason
	 * @return completes when the connection closed and the next attempt started
	 * @throws IllegalArgumentException for a close code that cannot be sent
	 */
	default CompletableFuture<Void> reconnect(int code, String reason) {
		throw new UnsupportedOperationException("Client '" + name() + "' does not support reconnect(code, reason)");
	}

	/**
	 * Declare the open connection ready (e.g. on {@code connection_ack} or READY):
	 * messages held by the ready gate ({@code ready-on: application}, or after
	 * {@link #notReady(String)}) are written, in order, and a
	 * {@link dev.wsboot.client.event.WsClientReadyEvent} is published. Does nothing when
	 * no connection is open (each new connection starts not ready).
	 */
	default void ready() {
	}

	/**
	 * Hold sends again until {@link #ready()}: messages sent from other threads wait,
	 * while this client's listeners, replies and heartbeats still go out.
	 * @param reason why, shown in health
	 */
	default void notReady(String reason) {
		throw new UnsupportedOperationException("Client '" + name() + "' does not support a ready gate");
	}

	/**
	 * Whether the connection is open and ready for the application's messages: with
	 * {@code ready-on: open} (the default) the same as {@link #isOpen()}.
	 * @return whether sends go out at once
	 */
	default boolean isReady() {
		return isOpen();
	}

}
