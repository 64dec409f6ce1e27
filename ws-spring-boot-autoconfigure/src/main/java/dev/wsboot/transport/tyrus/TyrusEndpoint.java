package dev.wsboot.transport.tyrus;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.core.CloseReasons;
import org.glassfish.tyrus.core.l10n.LocalizationMessages;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.ConnectAttempt;
import dev.wsboot.transport.Utf8;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsHandshakeException;

/**
 * One connect of the Tyrus transport, from the attempt to the end of the connection it
 * becomes: the programmatic endpoint Tyrus opens, the connect future, the inbound frames
 * and the close code the handler sees.
 * <p>
 * The connect future completes from {@link #onOpen(Session, EndpointConfig)} (after the
 * handler's {@code onOpen}), or fails from the first of: the refused handshake seen by
 * {@link TyrusHandshake}, the connect timeout, Tyrus's own failure. Whatever comes later
 * is ignored; a session that opens after the attempt failed is dropped unseen.
 */
final class TyrusEndpoint extends Endpoint implements PerMessageDeflate.Listener, FrameValidator.Listener {

	private static final Log logger = LogFactory.getLog(TyrusEndpoint.class);

	/** How long a failure Tyrus reports for an HTTP response waits for that response. */
	private static final long RESPONSE_GRACE_MILLIS = 500;

	private final WsConnectRequest request;

	private final ScheduledExecutorService scheduler;

	/** The connect's state machine, shared with the jdk transport. */
	private final ConnectAttempt attempt;

	/**
	 * The TCP connection until the server answered: closed when the connect fails first.
	 */
	private final PendingSocket pendingSocket = new PendingSocket();

	private volatile @Nullable TyrusWsConnection connection;

	/** Tyrus's own reconnect: never (our client owns reconnecting); reports failures. */
	final ClientManager.ReconnectHandler reconnectHandler = new ClientManager.ReconnectHandler() {

		@Override
		public boolean onDisconnect(CloseReason closeReason) {
			return false;
		}

		@Override
		public boolean onConnectFailure(Exception exception) {
			connectFailed(exception);
			return false;
		}

	};

	TyrusEndpoint(WsConnectRequest request, WsConnectionHandler handler, ScheduledExecutorService scheduler,
			Consumer<TyrusEndpoint> onEnd) {
		this.request = request;
		this.scheduler = scheduler;
		// also cancelled by the caller: let go of the socket
		this.attempt = new ConnectAttempt(request, handler, scheduler, scheduler, "Tyrus", () -> onEnd.accept(this),
				this.pendingSocket::abandon);
		this.pendingSocket.onClosed(this::connectionClosed);
	}

	/**
	 * The TCP connection closed. Once this side has sent its close frame itself
	 * ({@link TyrusWsConnection#sendClose}), Tyrus reports the end only when it reads the
	 * server's close frame; a server that closes the connection right after its close
	 * frame (as RFC 6455 asks) can have that frame lost with the connection (seen over
	 * TLS, when the frame, the close_notify and the end of the stream arrive together),
	 * and Tyrus, already CLOSING, would not report the end at all: the client waited for
	 * its shutdown timeout and reported 1006. The closing handshake is over either way.
	 */
	private void connectionClosed() {
		TyrusWsConnection connection = this.connection;
		CloseReason local = (connection != null && connection.awaitsServerClose()) ? connection.localClose() : null;
		if (local != null) {
			this.attempt.end(local.getCloseCode().getCode(),
					(local.getReasonPhrase() != null) ? local.getReasonPhrase() : "", true);
		}
	}

	CompletableFuture<WsConnection> future() {
		return this.attempt.future();
	}

	PendingSocket pendingSocket() {
		return this.pendingSocket;
	}

	/** Whether the connect is neither open nor failed yet. */
	boolean isConnecting() {
		return this.attempt.isConnecting();
	}

	/** Fail the connect when it is not done after the request's connect timeout. */
	void startTimeout() {
		this.attempt.startTimeout();
	}

	/**
	 * Tyrus failed the connect.
	 * @param failure what it failed with
	 */
	void connectFailed(Throwable failure) {
		if (!this.attempt.isConnecting()) {
			return;
		}
		Throwable mapped = ConnectFailures.map(failure, this.request);
		logger.debug("Connecting to " + this.attempt.description() + " failed: " + mapped);
		if (ConnectFailures.isResponseFailure(failure)) {
			// Tyrus fails the connect before it shows status and headers to
			// TyrusHandshake:
			// give the richer report a moment to arrive
			try {
				this.scheduler.schedule(() -> this.attempt.fail(mapped), RESPONSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
				return;
			}
			catch (RejectedExecutionException ex) {
				// transport closed
			}
		}
		this.attempt.fail(mapped);
	}

	/**
	 * The server refused or botched the handshake.
	 * @param failure the reason
	 */
	void handshakeFailed(WsHandshakeException failure) {
		this.attempt.fail(failure);
	}

	/** The transport closes: fail the connect or drop the connection. */
	void shutdown() {
		this.attempt.shutdown(this.connection);
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		if (!this.attempt.opening()) {
			// failed (timed out, cancelled, transport closed) before the server answered
			new TyrusWsConnection(session, this.attempt.description(), () -> {
			}).abort();
			return;
		}
		TyrusWsConnection connection = new TyrusWsConnection(session, this.attempt.description(),
				() -> end(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), "Connection aborted"));
		this.connection = connection;
		session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onText);
		session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinary);
		session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) this::onPong);
		this.attempt.opened(connection);
	}

	@Override
	public void onClose(Session session, CloseReason closeReason) {
		int code = closeReason.getCloseCode().getCode();
		String reason = (closeReason.getReasonPhrase() != null) ? closeReason.getReasonPhrase() : "";
		TyrusWsConnection closing = this.connection;
		CloseReason local = (closing != null) ? closing.localClose() : null;
		if (local != null) {
			// this side started the closing handshake: Tyrus reports either its own close
			// or,
			// when the reading thread wins the race for the socket's lock, the peer's
			// echo
			end(local.getCloseCode().getCode(), (local.getReasonPhrase() != null) ? local.getReasonPhrase() : "");
			return;
		}
		if (closeReason == CloseReasons.NORMAL_CLOSURE.getCloseReason()) {
			// Tyrus's stand-in for a close frame without a status code
			code = CloseReason.CloseCodes.NO_STATUS_CODE.getCode();
			reason = "";
		}
		else if (code == CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode() && isBufferOverflow(reason)) {
			// a frame larger than Tyrus's read buffer (max-message-size plus slack)
			code = CloseReason.CloseCodes.TOO_BIG.getCode();
			reason = "Frame exceeds max-message-size (" + this.request.maxMessageSize() + " bytes)";
			TyrusWsConnection connection = this.connection;
			if (connection != null && !this.attempt.hasEnded()) {
				connection.sendCloseFrameFirst(code, "Message too big");
			}
		}
		end(code, reason);
	}

	@Override
	public void onError(Session session, Throwable failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Tyrus reported an error on the connection to " + this.attempt.description() + ": "
					+ failure.getClass().getName() + ": " + ConnectFailures.safeMessage(failure, this.request.uri()));
		}
		if (!session.isOpen()) {
			end(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), "Connection failed");
		}
	}

	private void onText(String text, boolean last) {
		if (this.attempt.hasEnded()) {
			return;
		}
		long max = this.request.maxMessageSize();
		if (text.length() > max || (3L * text.length() > max && Utf8.length(text) > max)) {
			tooBig();
			return;
		}
		this.attempt.handler().onText(text, last);
	}

	private void onBinary(ByteBuffer data, boolean last) {
		if (this.attempt.hasEnded()) {
			return;
		}
		if (data.remaining() > this.request.maxMessageSize()) {
			tooBig();
			return;
		}
		this.attempt.handler().onBinary(data, last);
	}

	private void onPong(PongMessage pong) {
		if (!this.attempt.hasEnded()) {
			this.attempt.handler().onPong(pong.getApplicationData());
		}
	}

	@Override
	public void inflatedFrameTooBig() {
		tooBig();
	}

	@Override
	public void inflationFailed(DataFormatException failure) {
		logger.debug("Inflating a frame from " + this.attempt.description() + " failed", failure);
		TyrusWsConnection connection = this.connection;
		if (connection != null) {
			connection.closeNow(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "Invalid compressed data");
		}
		end(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "Invalid compressed data");
	}

	@Override
	public void protocolViolation(int code, String reason) {
		logger.debug("The server at " + this.attempt.description() + " broke the protocol: " + reason);
		TyrusWsConnection connection = this.connection;
		if (connection != null) {
			connection.closeNow(code, reason);
		}
		end(code, reason);
	}

	/** A frame larger than max-message-size: fail the connection with 1009. */
	private void tooBig() {
		TyrusWsConnection connection = this.connection;
		if (connection != null) {
			connection.closeNow(CloseReason.CloseCodes.TOO_BIG.getCode(), "Message too big");
		}
		end(CloseReason.CloseCodes.TOO_BIG.getCode(),
				"Frame exceeds max-message-size (" + this.request.maxMessageSize() + " bytes)");
	}

	private void end(int code, String reason) {
		TyrusWsConnection connection = this.connection;
		// within closeNow or abort: report the end after the call, not from within it
		this.attempt.end(code, reason, connection != null && connection.isClosingOnCurrentThread());
	}

	private static boolean isBufferOverflow(String reason) {
		return reason.equals(LocalizationMessages.BUFFER_OVERFLOW()) || reason.equals("Buffer overflow.");
	}

}
