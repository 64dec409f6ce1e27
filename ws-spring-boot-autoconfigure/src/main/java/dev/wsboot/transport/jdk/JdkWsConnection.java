package dev.wsboot.transport.jdk;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.wsboot.transport.Utf8;
import dev.wsboot.transport.WsConnection;

/**
 * The outbound side of one open JDK {@link WebSocket}.
 * <p>
 * The JDK accepts one outstanding data send (text, binary) at a time, and separately one
 * ping. Text, binary and close frames therefore go through one {@link SendQueue}, so they
 * are written in the order they were issued and a close follows the data sent before it;
 * pings go through another, so a ping is not held up behind a large message that is still
 * being written (the JDK still writes it after the frame it is writing).
 * <p>
 * Close codes: the JDK refuses to send 1002, 1003, 1007, 1009 and 1010 (it sends 1002 and
 * 1007 itself when it fails a connection) and the server-only codes 1012-1014. A close
 * with 1002, 1003, 1007, 1009 or 1010 goes out as 1008 (policy violation: RFC 6455's
 * generic code for "the peer sent something this endpoint does not accept"), one with
 * 1012-1014 as 1011 (unexpected condition); the reason is kept. The handler hears the
 * code that was asked for when the peer echoes the substitute.
 * <p>
 * Inbound flow: the JDK delivers the next frame part only after {@code request(1)}, which
 * {@link #readNext()} calls when a callback returned. While reading is paused
 * ({@link #pauseReading()}) the request is withheld until {@link #resumeReading()}, so a
 * backpressured connection holds no thread.
 */
final class JdkWsConnection implements WsConnection {

	private static final Log logger = LogFactory.getLog(JdkWsConnection.class);

	/** The longest close reason, in UTF-8 bytes. */
	private static final int MAX_REASON_BYTES = 123;

	private final WebSocket webSocket;

	private final SendQueue data;

	private final SendQueue control;

	private final String description;

	private final Runnable onAbort;

	private final AtomicBoolean aborted = new AtomicBoolean();

	private volatile boolean readingPaused;

	/** Set when a callback returned while reading was paused: a request is owed. */
	private final AtomicBoolean readOwed = new AtomicBoolean();

	/** The close code asked for when another one was sent, else -1. */
	private volatile int requestedCloseCode = -1;

	/** The close code sent instead of {@link #requestedCloseCode}. */
	private volatile int substituteCloseCode = -1;

	/**
	 * Create the outbound side of an open WebSocket.
	 * @param webSocket the WebSocket
	 * @param description the URL as it may be shown
	 * @param onAbort called after {@link #abort()} dropped the connection
	 */
	JdkWsConnection(WebSocket webSocket, String description, Runnable onAbort) {
		this.webSocket = webSocket;
		this.data = new SendQueue(webSocket);
		this.control = new SendQueue(webSocket);
		this.description = description;
		this.onAbort = onAbort;
	}

	@Override
	public CompletableFuture<Void> sendText(CharSequence text, boolean last) {
		// the JDK reads the text when it writes it: take a snapshot of a mutable sequence
		return this.data.add(SendQueue.Send.text(text.toString(), last));
	}

	@Override
	public CompletableFuture<Void> sendBinary(ByteBuffer data, boolean last) {
		return this.data.add(SendQueue.Send.binary(data, last));
	}

	@Override
	public CompletableFuture<Void> sendPing(ByteBuffer payload) {
		if (payload.remaining() > 125) {
			return CompletableFuture.failedFuture(
					new IllegalArgumentException("A ping carries at most 125 bytes, not " + payload.remaining()));
		}
		return this.control.add(SendQueue.Send.ping(payload));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The close frame goes out after the data frames issued before it. Codes the JDK does
	 * not let a client send are replaced (see the class description); a reason longer
	 * than 123 UTF-8 bytes is cut. The JDK has no close timeout: the connection stays
	 * until the peer answers or {@link #abort()} is called.
	 */
	@Override
	public CompletableFuture<Void> sendClose(int code, String reason) {
		int sent = sendableCloseCode(code);
		if (sent == -1) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("Close code " + code
					+ " cannot be sent: use 1000, 1001, 1008, 1011 or an application code from 3000 to 4999"));
		}
		if (sent != code) {
			this.substituteCloseCode = sent;
			this.requestedCloseCode = code;
			if (logger.isDebugEnabled()) {
				logger.debug("Closing the connection to " + this.description + " with " + sent + " instead of " + code
						+ ", which the JDK's WebSocket client does not send");
			}
		}
		return this.data.add(SendQueue.Send.close(sent, Utf8.truncate(reason, MAX_REASON_BYTES)));
	}

	/**
	 * A callback of the JDK returned: ask for the next frame part, unless reading is
	 * paused (then {@link #resumeReading()} asks for it).
	 */
	void readNext() {
		if (!this.readingPaused) {
			this.webSocket.request(1);
			return;
		}
		this.readOwed.set(true);
		// a resume between the check and the flag has not seen the flag: ask now
		if (!this.readingPaused && this.readOwed.compareAndSet(true, false)) {
			this.webSocket.request(1);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Takes effect when the current callback returns: the JDK is not asked for the next
	 * frame part (and answers pings only once it reads again).
	 */
	@Override
	public boolean pauseReading() {
		this.readingPaused = true;
		return true;
	}

	@Override
	public void resumeReading() {
		this.readingPaused = false;
		if (this.readOwed.compareAndSet(true, false)) {
			this.webSocket.request(1);
		}
	}

	/**
	 * Drops the connection at once; the JDK then calls its listener no more, so the end
	 * is reported by this transport (1006, on the transport's executor).
	 */
	@Override
	public void abort() {
		if (this.aborted.compareAndSet(false, true)) {
			try {
				this.webSocket.abort();
			}
			catch (RuntimeException ex) {
				logger.debug("Aborting the connection to " + this.description + " failed", ex);
			}
			this.onAbort.run();
		}
	}

	@Override
	public Optional<String> subprotocol() {
		String subprotocol = this.webSocket.getSubprotocol();
		return (subprotocol == null || subprotocol.isEmpty()) ? Optional.empty() : Optional.of(subprotocol);
	}

	/**
	 * The JDK client negotiates no extensions.
	 * @return an empty list
	 */
	@Override
	public List<String> extensions() {
		return List.of();
	}

	/**
	 * The code to report for a close frame from the peer: the code asked for in
	 * {@link #sendClose(int, String)} when the peer echoes its substitute.
	 * @param received the code the peer sent
	 * @return the code to report
	 */
	int reportedCloseCode(int received) {
		int requested = this.requestedCloseCode;
		return (requested != -1 && received == this.substituteCloseCode) ? requested : received;
	}

	@Override
	public String toString() {
		return "JdkWsConnection[" + this.description + "]";
	}

	/**
	 * The code to send for a close code.
	 * @param code the code asked for
	 * @return the code the JDK accepts, or -1 when the code is not valid on the wire at
	 * all
	 */
	static int sendableCloseCode(int code) {
		return switch (code) {
			case 1000, 1001, 1008, 1011 -> code;
			case 1002, 1003, 1007, 1009, 1010 -> 1008;
			case 1012, 1013, 1014 -> 1011;
			default -> (code >= 3000 && code <= 4999) ? code : -1;
		};
	}

}
