package dev.wsboot.transport.tyrus;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

import dev.wsboot.transport.SerializedConnectionHandler;
import dev.wsboot.transport.TransportFailures;
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

	private static final int CONNECTING = 0;

	private static final int OPENED = 1;

	private static final int FAILED = 2;

	private final WsConnectRequest request;

	private final SerializedConnectionHandler handler;

	private final ScheduledExecutorService scheduler;

	private final Consumer<TyrusEndpoint> onEnd;

	private final String description;

	private final CompletableFuture<WsConnection> future = new CompletableFuture<>();

	private final AtomicInteger state = new AtomicInteger(CONNECTING);

	/** The TCP connection until the server answered: closed when the connect fails first. */
	private final PendingSocket pendingSocket = new PendingSocket();

	/** Set once the handler may no longer hear from this connection. */
	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile boolean opened;

	private volatile boolean shutdown;

	private volatile @Nullable TyrusWsConnection connection;

	private volatile @Nullable ScheduledFuture<?> timeout;

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
		this.handler = new SerializedConnectionHandler(handler);
		this.scheduler = scheduler;
		this.onEnd = onEnd;
		this.description = TransportFailures.describe(request.uri());
		this.future.whenComplete((connection, failure) -> {
			if (failure != null) {
				// also cancelled by the caller: let go of the socket
				this.state.compareAndSet(CONNECTING, FAILED);
				this.pendingSocket.abandon();
			}
		});
	}

	CompletableFuture<WsConnection> future() {
		return this.future;
	}

	PendingSocket pendingSocket() {
		return this.pendingSocket;
	}

	/** Whether the connect is neither open nor failed yet. */
	boolean isConnecting() {
		return this.state.get() == CONNECTING;
	}

	/** Fail the connect when it is not done after the request's connect timeout. */
	void startTimeout() {
		long millis = this.request.connectTimeout().toMillis();
		if (millis > 0) {
			this.timeout = this.scheduler.schedule(() -> fail(new TimeoutException("Connecting to " + this.description
					+ " timed out after " + this.request.connectTimeout())), millis, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Tyrus failed the connect.
	 * @param failure what it failed with
	 */
	void connectFailed(Throwable failure) {
		if (this.state.get() != CONNECTING) {
			return;
		}
		Throwable mapped = ConnectFailures.map(failure, this.request.uri());
		logger.debug("Connecting to " + this.description + " failed: " + mapped);
		if (ConnectFailures.isResponseFailure(failure)) {
			// Tyrus fails the connect before it shows status and headers to TyrusHandshake:
			// give the richer report a moment to arrive
			try {
				this.scheduler.schedule(() -> fail(mapped), RESPONSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
				return;
			}
			catch (RejectedExecutionException ex) {
				// transport closed
			}
		}
		fail(mapped);
	}

	/**
	 * The server refused or botched the handshake.
	 * @param failure the reason
	 */
	void handshakeFailed(WsHandshakeException failure) {
		fail(failure);
	}

	/**
	 * Fail the connect if it is still pending.
	 * @param failure the reason
	 */
	void fail(Throwable failure) {
		if (this.state.compareAndSet(CONNECTING, FAILED)) {
			cancelTimeout();
			this.pendingSocket.abandon();
			this.onEnd.accept(this);
			this.future.completeExceptionally(failure);
		}
	}

	/** The transport closes: fail the connect or drop the connection. */
	void shutdown() {
		this.shutdown = true;
		fail(new IllegalStateException("The Tyrus transport was closed"));
		TyrusWsConnection connection = this.connection;
		if (connection != null) {
			connection.abort();
		}
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		if (!this.state.compareAndSet(CONNECTING, OPENED)) {
			// failed (timed out, cancelled, transport closed) before the server answered
			this.ended.set(true);
			new TyrusWsConnection(session, this.description, () -> {
			}).abort();
			return;
		}
		cancelTimeout();
		TyrusWsConnection connection = new TyrusWsConnection(session, this.description,
				() -> end(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), "Connection aborted"));
		this.connection = connection;
		session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onText);
		session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinary);
		session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) this::onPong);
		this.opened = true;
		try {
			this.handler.onOpen(connection);
		}
		catch (RuntimeException ex) {
			this.future.completeExceptionally(ex);
		}
		if (!this.future.complete(connection) || this.shutdown) {
			// the handler failed, the caller cancelled or the transport closed meanwhile
			connection.abort();
		}
	}

	@Override
	public void onClose(Session session, CloseReason closeReason) {
		int code = closeReason.getCloseCode().getCode();
		String reason = (closeReason.getReasonPhrase() != null) ? closeReason.getReasonPhrase() : "";
		TyrusWsConnection closing = this.connection;
		CloseReason local = (closing != null) ? closing.localClose() : null;
		if (local != null) {
			// this side started the closing handshake: Tyrus reports either its own close or,
			// when the reading thread wins the race for the socket's lock, the peer's echo
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
			if (connection != null && !this.ended.get()) {
				connection.sendCloseFrameFirst(code, "Message too big");
			}
		}
		end(code, reason);
	}

	@Override
	public void onError(Session session, Throwable failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Tyrus reported an error on the connection to " + this.description + ": "
					+ failure.getClass().getName() + ": " + ConnectFailures.safeMessage(failure, this.request.uri()));
		}
		if (!session.isOpen()) {
			end(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), "Connection failed");
		}
	}

	private void onText(String text, boolean last) {
		if (this.ended.get()) {
			return;
		}
		long max = this.request.maxMessageSize();
		if (text.length() > max || (3L * text.length() > max && Utf8.length(text) > max)) {
			tooBig();
			return;
		}
		this.handler.onText(text, last);
	}

	private void onBinary(ByteBuffer data, boolean last) {
		if (this.ended.get()) {
			return;
		}
		if (data.remaining() > this.request.maxMessageSize()) {
			tooBig();
			return;
		}
		this.handler.onBinary(data, last);
	}

	private void onPong(PongMessage pong) {
		if (!this.ended.get()) {
			this.handler.onPong(pong.getApplicationData());
		}
	}

	@Override
	public void inflatedFrameTooBig() {
		tooBig();
	}

	@Override
	public void inflationFailed(DataFormatException failure) {
		logger.debug("Inflating a frame from " + this.description + " failed", failure);
		TyrusWsConnection connection = this.connection;
		if (connection != null) {
			connection.closeNow(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "Invalid compressed data");
		}
		end(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "Invalid compressed data");
	}

	@Override
	public void protocolViolation(int code, String reason) {
		logger.debug("The server at " + this.description + " broke the protocol: " + reason);
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
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		this.onEnd.accept(this);
		if (!this.opened) {
			return;
		}
		TyrusWsConnection connection = this.connection;
		if (connection != null && connection.isClosingOnCurrentThread()) {
			// sendClose or abort: report the end after the call, not from within it
			try {
				this.scheduler.execute(() -> this.handler.onClose(code, reason));
				return;
			}
			catch (RejectedExecutionException ex) {
				// transport closed: report it here
			}
		}
		this.handler.onClose(code, reason);
	}

	private void cancelTimeout() {
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
			// not kept for the life of the connection
			this.timeout = null;
		}
	}

	private static boolean isBufferOverflow(String reason) {
		return reason.equals(LocalizationMessages.BUFFER_OVERFLOW()) || reason.equals("Buffer overflow.");
	}

}
