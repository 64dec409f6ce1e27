package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.glassfish.tyrus.core.TyrusWebSocket;
import org.glassfish.tyrus.spi.Writer;
import org.glassfish.tyrus.spi.WriterInfo;
import org.glassfish.tyrus.spi.WriterInfo.MessageType;
import org.glassfish.tyrus.spi.WriterInfo.RemoteEndpointType;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.Utf8;
import dev.wsboot.transport.WsConnection;

/**
 * The outbound side of one open Tyrus session.
 * <p>
 * Whole messages go through the session's async remote (a {@link SendHandler} completes
 * the future); single fragments go straight to the {@link TyrusWebSocket}, whose
 * {@code sendText(String, boolean, WriterInfo)} returns a future instead of blocking like
 * {@code RemoteEndpoint.Basic} does. Both end in Tyrus's {@code ProtocolHandler}, which
 * frames and hands frames to the connection's writer under one lock, so frames go out in
 * the order they were issued.
 */
final class TyrusWsConnection implements WsConnection {

	private static final Log logger = LogFactory.getLog(TyrusWsConnection.class);

	private static final SecureRandom MASKS = new SecureRandom();

	/** The longest close reason, in UTF-8 bytes. */
	private static final int MAX_REASON_BYTES = 123;

	private static final WriterInfo TEXT_LAST = new WriterInfo(MessageType.TEXT, RemoteEndpointType.ASYNC);

	private static final WriterInfo TEXT_PART = new WriterInfo(MessageType.TEXT_CONTINUATION, RemoteEndpointType.ASYNC);

	private static final WriterInfo BINARY_LAST = new WriterInfo(MessageType.BINARY, RemoteEndpointType.ASYNC);

	private static final WriterInfo BINARY_PART = new WriterInfo(MessageType.BINARY_CONTINUATION,
			RemoteEndpointType.ASYNC);

	private final Session session;

	private final TyrusWebSocket webSocket;

	private final RemoteEndpoint.Async remote;

	private final String description;

	private final Runnable onAbort;

	private final AtomicBoolean aborted = new AtomicBoolean();

	/** The thread inside {@link #closeNow} or {@link #abort()}, if any. */
	private volatile @Nullable Thread closing;

	/**
	 * The close this side started with {@link #sendClose} or {@link #closeNow}, if any.
	 */
	private volatile @Nullable CloseReason localClose;

	/** Whether this side wrote its close frame itself and waits for the server's. */
	private volatile boolean awaitingServerClose;

	/**
	 * Whether a fragmented message is being sent: written by the (one) sending thread.
	 */
	private volatile boolean fragmenting;

	/**
	 * Pauses reading without holding a thread; {@code null} when the container cannot.
	 */
	private final @Nullable GrizzlyReadPause readPause;

	/**
	 * Create the outbound side of an open session.
	 * @param session the session
	 * @param description the URL as it may be shown
	 * @param onAbort called after {@link #abort()} dropped the connection
	 */
	TyrusWsConnection(Session session, String description, Runnable onAbort) {
		this.session = session;
		this.webSocket = TyrusInternals.webSocket(session);
		this.remote = session.getAsyncRemote();
		this.description = description;
		this.onAbort = onAbort;
		this.readPause = readPause(this.webSocket, description);
	}

	private static @Nullable GrizzlyReadPause readPause(TyrusWebSocket webSocket, String description) {
		Writer writer = TyrusInternals.writer(webSocket);
		if (writer == null
				|| !writer.getClass().getName().startsWith("org.glassfish.tyrus.container.grizzly.client.")) {
			// Tyrus's JDK container: backpressure holds the reading thread
			return null;
		}
		GrizzlyReadPause pause = GrizzlyReadPause.of(writer);
		if (pause == null && logger.isDebugEnabled()) {
			logger.debug("Reading of the connection to " + description + " cannot be paused without a thread");
		}
		return pause;
	}

	@Override
	public CompletableFuture<Void> sendText(CharSequence text, boolean last) {
		try {
			String frame = text.toString();
			if (last && !this.fragmenting) {
				CompletableFuture<Void> sent = new CompletableFuture<>();
				this.remote.sendText(frame, (result) -> completed(sent, result.isOK(), result.getException()));
				return sent;
			}
			this.fragmenting = !last;
			return completion(this.webSocket.sendText(frame, last, last ? TEXT_LAST : TEXT_PART));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Void> sendBinary(ByteBuffer data, boolean last) {
		try {
			if (last && !this.fragmenting) {
				CompletableFuture<Void> sent = new CompletableFuture<>();
				this.remote.sendBinary(data, (result) -> completed(sent, result.isOK(), result.getException()));
				data.position(data.limit());
				return sent;
			}
			this.fragmenting = !last;
			Future<?> written;
			if (data.hasArray()) {
				written = this.webSocket.sendBinary(data.array(), data.arrayOffset() + data.position(),
						data.remaining(), last, last ? BINARY_LAST : BINARY_PART);
			}
			else {
				byte[] bytes = new byte[data.remaining()];
				data.duplicate().get(bytes);
				written = this.webSocket.sendBinary(bytes, 0, bytes.length, last, last ? BINARY_LAST : BINARY_PART);
			}
			data.position(data.limit());
			return completion(written);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Void> sendPing(ByteBuffer payload) {
		try {
			if (payload.remaining() > 125) {
				throw new IllegalArgumentException("A ping carries at most 125 bytes, not " + payload.remaining());
			}
			byte[] bytes = new byte[payload.remaining()];
			payload.get(bytes);
			return completion(this.webSocket.sendPing(bytes));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Starts the closing handshake: the close frame is written and the connection stays
	 * open for the server's close frame, which ends it (Tyrus then closes the TCP
	 * connection and the handler hears of the close); {@link #abort()} drops it when the
	 * server does not answer in time. While a fragmented message is being sent (a raw
	 * write would wait for its end) or once the connection is closing, this falls back to
	 * {@link #closeNow}.
	 */
	@Override
	public CompletableFuture<Void> sendClose(int code, String reason) {
		try {
			if (!isSendable(code)) {
				throw new IllegalArgumentException("Close code " + code + " cannot be sent");
			}
			CloseReason close = new CloseReason(CloseReason.CloseCodes.getCloseCode(code),
					Utf8.truncate(reason, MAX_REASON_BYTES));
			if (this.fragmenting || !TyrusInternals.startClosing(this.webSocket)) {
				return closeNow(code, close.getReasonPhrase());
			}
			if (this.localClose == null) {
				this.localClose = close;
			}
			this.awaitingServerClose = true;
			return completion(this.webSocket.sendRawFrame(maskedCloseFrame(code, close.getReasonPhrase())));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Close without waiting for the server: Tyrus writes the close frame, reports the
	 * close to the endpoint at once (with this code) and closes the connection after the
	 * frame; the frame is in the connection's writer when this returns. The handler hears
	 * of the close afterwards, from another thread. For failing the connection.
	 * @param code the close code
	 * @param reason the close reason (at most 123 UTF-8 bytes)
	 * @return completes when the close frame was handed to the connection
	 */
	CompletableFuture<Void> closeNow(int code, String reason) {
		try {
			if (!isSendable(code)) {
				throw new IllegalArgumentException("Close code " + code + " cannot be sent");
			}
			CloseReason close = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
			if (this.localClose == null) {
				this.localClose = close;
			}
			this.closing = Thread.currentThread();
			this.session.close(close);
			return CompletableFuture.completedFuture(null);
		}
		catch (IOException | RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		finally {
			this.closing = null;
		}
	}

	/**
	 * Closes the connection under Tyrus (no close frame is written) and reports 1006
	 * ourselves (from another thread, after this returns): Tyrus would report it only
	 * when the container's close event gets through, which it does not while the endpoint
	 * is opening, nor reliably once the Grizzly container has stopped the connection's
	 * threads.
	 */
	@Override
	public void abort() {
		if (this.aborted.compareAndSet(false, true)) {
			this.closing = Thread.currentThread();
			try {
				TyrusInternals.closeConnection(this.webSocket);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Aborting the connection to " + this.description + " failed", ex);
			}
			finally {
				this.onAbort.run();
				this.closing = null;
			}
		}
	}

	/**
	 * Whether this side wrote its close frame itself ({@link #sendClose}) and Tyrus waits
	 * for the server's: Tyrus does not report the end when the connection closes first.
	 * @return whether the closing handshake this side started is under way
	 */
	boolean awaitsServerClose() {
		return this.awaitingServerClose;
	}

	/**
	 * The close this side started, which the handler hears of whatever Tyrus reports.
	 * @return the first close sent through {@link #sendClose} or {@link #closeNow}, or
	 * {@code null}
	 */
	@Nullable CloseReason localClose() {
		return this.localClose;
	}

	/**
	 * Whether the current thread is closing this connection through {@link #closeNow} or
	 * {@link #abort()}: Tyrus would report the end on it, before the call returns.
	 * @return whether the current thread is closing the connection
	 */
	boolean isClosingOnCurrentThread() {
		return this.closing == Thread.currentThread();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * With the Grizzly container read interest stays off once the read being handled
	 * completes (see {@link GrizzlyReadPause}); with the JDK container reading cannot be
	 * paused this way.
	 */
	@Override
	public boolean pauseReading() {
		GrizzlyReadPause pause = this.readPause;
		if (pause == null) {
			return false;
		}
		pause.pause();
		return true;
	}

	/**
	 * Reads of a connection whose reading can be paused are handled on Grizzly's selector
	 * threads ({@link GrizzlyReadPause}).
	 */
	@Override
	public boolean readsOnEventLoop() {
		return this.readPause != null;
	}

	@Override
	public void resumeReading() {
		GrizzlyReadPause pause = this.readPause;
		if (pause != null) {
			pause.resume();
		}
	}

	@Override
	public Optional<String> subprotocol() {
		String subprotocol = this.session.getNegotiatedSubprotocol();
		return (subprotocol == null || subprotocol.isEmpty()) ? Optional.empty() : Optional.of(subprotocol);
	}

	@Override
	public List<String> extensions() {
		List<String> names = new ArrayList<>();
		for (Extension extension : this.session.getNegotiatedExtensions()) {
			names.add(extension.getName());
		}
		return List.copyOf(names);
	}

	/**
	 * Fail the connection with a close frame of our own while Tyrus is already failing it
	 * with another code (it would send 1011 for a frame larger than its read buffer). The
	 * frame is written raw, ahead of Tyrus's own; skipped while a fragmented message is
	 * being sent, where a raw write would wait for it to finish.
	 * @param code the close code
	 * @param reason the reason (at most 123 UTF-8 bytes)
	 */
	void sendCloseFrameFirst(int code, String reason) {
		if (this.fragmenting) {
			return;
		}
		try {
			this.webSocket.sendRawFrame(maskedCloseFrame(code, reason));
		}
		catch (RuntimeException ex) {
			logger.debug("Sending close " + code + " to " + this.description + " failed", ex);
		}
	}

	@Override
	public String toString() {
		return "TyrusWsConnection[" + this.description + "]";
	}

	private static ByteBuffer maskedCloseFrame(int code, String reason) {
		byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + reasonBytes.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
		byte[] mask = new byte[4];
		MASKS.nextBytes(mask);
		ByteBuffer frame = ByteBuffer.allocate(2 + 4 + payload.length);
		frame.put((byte) 0x88).put((byte) (0x80 | payload.length)).put(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.put((byte) (payload[i] ^ mask[i % 4]));
		}
		return frame.flip();
	}

	private static boolean isSendable(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
	}

	private static void completed(CompletableFuture<Void> future, boolean ok, Throwable failure) {
		if (ok) {
			future.complete(null);
		}
		else {
			future.completeExceptionally(failure);
		}
	}

	private static CompletableFuture<Void> completion(Future<?> written) {
		// Tyrus 2.2's frame futures are TyrusFutures, which are CompletableFutures
		if (written instanceof CompletableFuture<?> future) {
			return future.thenApply((frame) -> null);
		}
		throw new IllegalStateException(
				"Tyrus returned a " + written.getClass().getName() + " where Tyrus 2.2 returns a CompletableFuture");
	}

}
