package dev.wsboot.test;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One accepted WebSocket connection of a {@link WsTestServer}: sends frames to the
 * client, well-formed or not, and records every frame the client sends.
 * <p>
 * Every {@code send...} method writes immediately and may be called from any thread; it
 * throws {@link UncheckedIOException} when the connection is gone. Every {@code await...}
 * method waits at most 10 seconds and fails with an {@link AssertionError} describing
 * what was received instead; it fails at once when the connection is gone and what it
 * waits for has not arrived.
 * <p>
 * Pings from the client are answered automatically ({@link #stopAnsweringPings()} turns
 * that off), and a close frame from the client is answered with a close frame echoing its
 * code, after which the server closes the TCP connection.
 */
public final class WsTestConnection {

	private final int id;

	private final FrameSender sender;

	private final WsTestHandshake handshake;

	private final Recording recording = new Recording();

	private final ConnectionBehavior behavior;

	private final ConnectionReader reader;

	WsTestConnection(int id, Socket socket, InputStream in, OutputStream out, WsTestHandshake handshake,
			boolean deflate, boolean recordPayloads) {
		this.id = id;
		this.handshake = handshake;
		this.sender = new FrameSender(out, deflate, "connection #" + id);
		this.behavior = new ConnectionBehavior(new ConnectionSocket(socket, this.recording), this.sender,
				this.recording, recordPayloads);
		this.reader = new ConnectionReader(this.behavior, in, this.recording, deflate);
	}

	Runnable reader() {
		return this.reader;
	}

	/**
	 * The upgrade request that opened this connection.
	 * @return the handshake
	 */
	public WsTestHandshake handshake() {
		return this.handshake;
	}

	// ---- sending

	/**
	 * Send a text message in one frame (compressed when permessage-deflate was accepted).
	 * @param text the text
	 */
	public void sendText(String text) {
		this.sender.message(WsTestFrame.TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Send a binary message in one frame (compressed when permessage-deflate was
	 * accepted).
	 * @param data the bytes
	 */
	public void sendBinary(byte[] data) {
		this.sender.message(WsTestFrame.BINARY, data);
	}

	/**
	 * Send a text message split into frames of at most {@code fragmentSize} payload
	 * bytes; fragments may split multi-byte characters, as the protocol allows.
	 * @param text the text
	 * @param fragmentSize the payload size of each fragment
	 */
	public void sendFragmentedText(String text, int fragmentSize) {
		this.sender.fragmented(WsTestFrame.TEXT, text.getBytes(StandardCharsets.UTF_8), fragmentSize);
	}

	/**
	 * Send a binary message split into frames of at most {@code fragmentSize} payload
	 * bytes.
	 * @param data the bytes
	 * @param fragmentSize the payload size of each fragment
	 */
	public void sendFragmentedBinary(byte[] data, int fragmentSize) {
		this.sender.fragmented(WsTestFrame.BINARY, data, fragmentSize);
	}

	/**
	 * Send one frame exactly as described, without any validation, e.g. to break the
	 * protocol with a masked server frame, RSV bits, an unknown opcode or an oversized
	 * control frame. Sending a close frame this way counts as the server's close frame.
	 * @param opcode the opcode (0-15)
	 * @param fin the FIN bit
	 * @param rsv the RSV bits, 0-7 ({@code 4} is RSV1)
	 * @param masked whether to mask the payload (servers must not)
	 * @param payload the payload, sent as is
	 */
	public void sendFrame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload) {
		this.sender.frame(opcode, fin, rsv, masked, payload);
	}

	/**
	 * Send arbitrary bytes, e.g. a frame header announcing 2^63-1 bytes, or half a frame
	 * to stall mid-frame.
	 * @param bytes the bytes
	 */
	public void sendRaw(byte[] bytes) {
		this.sender.raw(bytes);
	}

	/**
	 * Send a ping.
	 * @param payload the payload (at most 125 bytes for a valid ping)
	 */
	public void sendPing(byte[] payload) {
		sendFrame(WsTestFrame.PING, true, 0, false, payload);
	}

	/**
	 * Send an unsolicited pong.
	 * @param payload the payload
	 */
	public void sendPong(byte[] payload) {
		sendFrame(WsTestFrame.PONG, true, 0, false, payload);
	}

	/**
	 * Send one compressed (RSV1) binary message of zeros that inflates to
	 * {@code inflatedSize} bytes, whether permessage-deflate was accepted or not. The
	 * message is deflated chunk by chunk: only its compressed form is held in memory.
	 * @param inflatedSize the size of the inflated message
	 */
	public void sendCompressedBomb(int inflatedSize) {
		sendFrame(WsTestFrame.BINARY, true, 4, false, PerMessageDeflate.compressZeros(inflatedSize));
	}

	/**
	 * Start the closing handshake: send a close frame, wait (at most 5 seconds) for the
	 * client's close frame, then close the TCP connection.
	 * @param code the status code
	 * @param reason the reason
	 */
	public void close(int code, String reason) {
		this.behavior.closeAndWait(FrameCodec.closePayload(code, reason));
	}

	/**
	 * Like {@link #close(int, String)} with a close frame without payload (no status
	 * code).
	 */
	public void closeWithoutCode() {
		this.behavior.closeAndWait(new byte[0]);
	}

	/**
	 * Close the TCP connection without a close frame (orderly FIN).
	 */
	public void dropTcp() {
		this.behavior.closeSocket(false, null);
	}

	/**
	 * Abort the TCP connection without a close frame, with a RST ({@code SO_LINGER} 0).
	 */
	public void resetTcp() {
		this.behavior.closeSocket(true, null);
	}

	// ---- behavior

	/**
	 * Stop answering the client's pings (they are still recorded).
	 */
	public void stopAnsweringPings() {
		this.behavior.answerPings(false);
	}

	/**
	 * Answer the client's pings with pongs again (the default).
	 */
	public void answerPings() {
		this.behavior.answerPings(true);
	}

	/**
	 * Simulate a peer that stalls in the middle of a frame: stop answering pings, then
	 * send the header of a 100-byte text frame and only 10 bytes of its payload. The
	 * client waits for the other 90 bytes, which never come; nothing else may be sent on
	 * this connection.
	 */
	public void stallMidFrame() {
		this.behavior.stallMidFrame();
	}

	/**
	 * Simulate a half-open connection: stop reading the socket entirely, so nothing more
	 * is recorded or answered (no pongs, no close frame), while the TCP connection stays
	 * open until the server drops it. A frame already being read when this is called is
	 * read but discarded. The client closing TCP then goes unnoticed.
	 */
	public void stopReading() {
		this.behavior.stopReading();
	}

	/**
	 * Simulate a peer that never answers the closing handshake: the client's close frame
	 * is recorded but not answered, and the TCP connection stays open until the client
	 * drops it. A client that only shuts its output down after its close frame (as
	 * {@code java.net.http} does) is still connected: the server then probes the
	 * connection with an empty unsolicited pong every 20 ms until a write fails, so
	 * {@link #awaitDisconnected()} and {@link #isOpen()} tell when the client really let
	 * go.
	 */
	public void ignoreClose() {
		this.behavior.ignoreClose();
	}

	/**
	 * Whether to keep data frames and the payloads of data messages (the default comes
	 * from {@link WsTestServer#recordPayloads(boolean)}). When off, data frames are not
	 * recorded at all and messages are only counted ({@link #receivedMessages()},
	 * {@link #receivedBytes()}): use it for floods. Control frames are always recorded.
	 * @param record whether to record payloads
	 * @return this connection
	 */
	public WsTestConnection recordPayloads(boolean record) {
		this.behavior.recordPayloads(record);
		return this;
	}

	/**
	 * Echo data messages (text as text, binary as binary) until the connection ends,
	 * starting with the first message not echoed yet; blocks the calling thread. Messages
	 * that were not recorded (see {@link #recordPayloads(boolean)}) are not echoed. This
	 * is the default connection script.
	 */
	public void echo() {
		this.behavior.echo();
	}

	/**
	 * Hand every text message to {@code handler}, in order, until the connection ends,
	 * starting with the first text message received; blocks the calling thread. The
	 * handler answers as the protocol under test would (e.g. acknowledge a heartbeat,
	 * reply to an identify) through this connection's {@code send...} and {@code close}
	 * methods. Messages that were not recorded (see {@link #recordPayloads(boolean)}) are
	 * not handed over; binary messages are skipped.
	 * @param handler called with each text message on the calling thread
	 */
	public void handleTexts(Consumer<String> handler) {
		this.behavior.handleTexts(handler);
	}

	// ---- recording

	/**
	 * Every frame received from the client so far, in order.
	 * @return the frames
	 */
	public List<WsTestFrame> frames() {
		return this.recording.frames();
	}

	/**
	 * Wait for the first received frame (already received or not) that matches.
	 * @param predicate the condition
	 * @return the frame
	 */
	public WsTestFrame awaitFrame(Predicate<WsTestFrame> predicate) {
		return awaitFrame(predicate, Recording.TIMEOUT);
	}

	/**
	 * Wait for the first received frame (already received or not) that matches.
	 * @param predicate the condition
	 * @param timeout how long to wait at most
	 * @return the frame
	 */
	public WsTestFrame awaitFrame(Predicate<WsTestFrame> predicate, Duration timeout) {
		return this.recording.await("a matching frame", timeout,
				() -> this.recording.frames().stream().filter(predicate).findFirst().orElse(null));
	}

	/**
	 * Wait until at least {@code count} complete text messages were received.
	 * @param count the number of messages
	 * @return the first {@code count} text messages
	 */
	public List<String> awaitTexts(int count) {
		return this.recording.await(count + " text message(s)", Recording.TIMEOUT, () -> {
			List<String> texts = texts();
			return (texts.size() >= count) ? texts.subList(0, count) : null;
		});
	}

	/**
	 * Wait until at least {@code count} complete binary messages were received.
	 * @param count the number of messages
	 * @return the first {@code count} binary messages
	 */
	public List<byte[]> awaitBinaries(int count) {
		return this.recording.await(count + " binary message(s)", Recording.TIMEOUT, () -> {
			List<byte[]> binaries = binaries();
			return (binaries.size() >= count) ? binaries.subList(0, count) : null;
		});
	}

	/**
	 * The complete text messages received so far (reassembled and inflated; each kept up
	 * to 16 MiB).
	 * @return the texts
	 */
	public List<String> texts() {
		return this.recording.texts();
	}

	/**
	 * The complete binary messages received so far (reassembled and inflated; each kept
	 * up to 16 MiB).
	 * @return the payloads
	 */
	public List<byte[]> binaries() {
		return this.recording.binaries();
	}

	/**
	 * How many complete data messages were received, recorded or not.
	 * @return the count
	 */
	public long receivedMessages() {
		return this.recording.receivedMessages();
	}

	/**
	 * How many payload bytes the complete data messages had (after inflation), recorded
	 * or not.
	 * @return the byte count
	 */
	public long receivedBytes() {
		return this.recording.receivedBytes();
	}

	/**
	 * Wait until at least {@code count} complete data messages were received, recorded or
	 * not.
	 * @param count the number of messages
	 */
	public void awaitReceivedMessages(long count) {
		this.recording.await(count + " data message(s)", Recording.TIMEOUT,
				() -> (this.recording.receivedMessages() >= count) ? Boolean.TRUE : null);
	}

	/**
	 * Wait for the client's close frame.
	 * @return the close frame
	 */
	public WsTestFrame awaitClose() {
		return this.recording.await("a close frame", Recording.TIMEOUT,
				() -> this.recording.frames().stream().filter(WsTestFrame::isClose).findFirst().orElse(null));
	}

	/**
	 * Wait until the TCP connection is gone, closed by either side.
	 */
	public void awaitDisconnected() {
		this.recording.await("the TCP connection to close", Recording.TIMEOUT,
				() -> this.recording.isDisconnected() ? Boolean.TRUE : null);
	}

	/**
	 * Whether the TCP connection is still open, as far as the server knows.
	 * @return whether the connection is open
	 */
	public boolean isOpen() {
		return !this.recording.isDisconnected();
	}

	@Override
	public String toString() {
		return "WsTestConnection#" + this.id + " " + this.handshake.path() + (isOpen() ? " (open)" : " (closed)");
	}

}
