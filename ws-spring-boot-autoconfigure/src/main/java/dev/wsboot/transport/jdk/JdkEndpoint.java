package dev.wsboot.transport.jdk;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.SerializedConnectionHandler;
import dev.wsboot.transport.TransportFailures;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;

/**
 * One connect of the jdk transport, from the attempt to the end of the connection it
 * becomes: the {@link WebSocket.Listener} the JDK calls, the connect future, inbound flow
 * control and the close code the handler sees.
 * <p>
 * The connect future completes from {@link #onOpen(WebSocket)}, after the handler's
 * {@code onOpen}, or fails from the first of: the JDK's failure, the connect timeout, the
 * transport closing, a subprotocol that was not offered. A WebSocket that opens after the
 * attempt failed is aborted unseen.
 * <p>
 * Flow control: the JDK delivers a frame part only after {@code request(1)}, which is
 * called when the handler returned from the previous callback. A handler that holds the
 * thread therefore stops reading of its connection (the JDK answers pings meanwhile only
 * once it reads them).
 */
final class JdkEndpoint implements WebSocket.Listener {

	private static final Log logger = LogFactory.getLog(JdkEndpoint.class);

	private static final int CONNECTING = 0;

	private static final int OPENED = 1;

	private static final int FAILED = 2;

	private final WsConnectRequest request;

	private final SerializedConnectionHandler handler;

	private final ScheduledExecutorService scheduler;

	private final Executor executor;

	private final Consumer<JdkEndpoint> onEnd;

	private final String description;

	private final CompletableFuture<WsConnection> future = new CompletableFuture<>();

	private final AtomicInteger state = new AtomicInteger(CONNECTING);

	/** Set once the handler may no longer hear from this connection. */
	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile boolean shutdown;

	private volatile @Nullable JdkWsConnection connection;

	private volatile @Nullable ScheduledFuture<?> timeout;

	JdkEndpoint(WsConnectRequest request, WsConnectionHandler handler, ScheduledExecutorService scheduler,
			Executor executor, Consumer<JdkEndpoint> onEnd) {
		this.request = request;
		this.handler = new SerializedConnectionHandler(handler);
		this.scheduler = scheduler;
		this.executor = executor;
		this.onEnd = onEnd;
		this.description = TransportFailures.describe(request.uri());
		this.future.whenComplete((connection, failure) -> {
			// failed, timed out, cancelled by the caller or the transport closed
			if (failure != null && this.state.compareAndSet(CONNECTING, FAILED)) {
				cancelTimeout();
				this.ended.set(true);
				this.onEnd.accept(this);
				logger.debug("Connecting to " + this.description + " failed: " + failure);
			}
		});
	}

	CompletableFuture<WsConnection> future() {
		return this.future;
	}

	/** Fail the connect when it is not done after the request's connect timeout. */
	void startTimeout() {
		long millis = this.request.connectTimeout().toMillis();
		if (millis > 0) {
			try {
				this.timeout = this.scheduler.schedule(() -> fail(new TimeoutException("Connecting to "
						+ this.description + " timed out after " + this.request.connectTimeout())), millis,
						TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				fail(new IllegalStateException("The jdk transport was closed"));
			}
		}
	}

	/**
	 * Follow the JDK's connect.
	 * @param opening the future of {@code WebSocket.Builder.buildAsync}
	 */
	void opening(CompletableFuture<WebSocket> opening) {
		opening.whenComplete((webSocket, failure) -> {
			if (failure != null) {
				fail(JdkFailures.map(failure, this.request));
			}
			else if (this.state.get() == FAILED) {
				webSocket.abort();
			}
		});
	}

	/**
	 * Fail the connect if it is still pending.
	 * @param failure the reason
	 */
	void fail(Throwable failure) {
		if (this.state.get() == CONNECTING) {
			this.future.completeExceptionally(failure);
		}
	}

	/** The transport closes: fail the connect or drop the connection. */
	void shutdown() {
		this.shutdown = true;
		fail(new IllegalStateException("The jdk transport was closed"));
		JdkWsConnection connection = this.connection;
		if (connection != null) {
			connection.abort();
		}
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		String subprotocol = webSocket.getSubprotocol();
		if (subprotocol != null && !subprotocol.isEmpty() && !this.request.subprotocols().contains(subprotocol)) {
			// the JDK checks this too; never hand such a connection out
			fail(JdkFailures.unofferedSubprotocol(this.request, subprotocol));
		}
		if (!this.state.compareAndSet(CONNECTING, OPENED)) {
			webSocket.abort();
			return;
		}
		cancelTimeout();
		JdkWsConnection connection = new JdkWsConnection(webSocket, this.description, this::aborted);
		try {
			this.handler.onOpen(connection);
		}
		catch (RuntimeException ex) {
			logger.warn("WebSocket connection handler failed in onOpen for " + this.description, ex);
			this.future.completeExceptionally(ex);
		}
		this.connection = connection;
		if (!this.future.complete(connection) || this.shutdown) {
			// the handler failed, the caller cancelled or the transport closed meanwhile
			connection.abort();
		}
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		try {
			// the JDK decodes each part completely: a part never ends inside a UTF-8 sequence
			if (!this.ended.get()) {
				this.handler.onText(data.toString(), last);
			}
		}
		finally {
			webSocket.request(1);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		try {
			if (!this.ended.get()) {
				this.handler.onBinary(data, last);
			}
		}
		finally {
			webSocket.request(1);
		}
		return null;
	}

	/** The JDK has already queued the pong. */
	@Override
	public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		webSocket.request(1);
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
		try {
			if (!this.ended.get()) {
				this.handler.onPong(message);
			}
		}
		finally {
			webSocket.request(1);
		}
		return null;
	}

	/**
	 * The peer's close frame ({@code 1005} when it had no code), or {@code 1006} when the
	 * connection ended without one. Returning {@code null} lets the JDK answer with the
	 * same code (1000 for 1005 and 1006) unless a close frame was sent already.
	 */
	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		if (statusCode == 1006) {
			end(1006, "Connection closed without a close frame", false);
			return null;
		}
		JdkWsConnection connection = this.connection;
		end((connection != null) ? connection.reportedCloseCode(statusCode) : statusCode, reason, false);
		return null;
	}

	/**
	 * The JDK failed the connection and dropped it: for a protocol violation of the peer
	 * (reported as 1002, or 1007 for invalid UTF-8; the JDK's close frame with that code may
	 * or may not get out first), or because the connection broke (1006).
	 */
	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		int code = JdkFailures.closeCode(error);
		String message = JdkFailures.safeMessage(error, this.request.uri());
		if (logger.isDebugEnabled()) {
			logger.debug("The connection to " + this.description + " failed with " + code + ": "
					+ error.getClass().getName() + ": " + message);
		}
		end(code, ((code == 1006) ? "Connection failed: " : "Protocol error: ") + message, false);
	}

	private void aborted() {
		end(1006, "Connection aborted", true);
	}

	/**
	 * Report the end of the connection to the handler, once.
	 * @param async whether to report it on the transport's executor rather than on the
	 * calling thread (which is the caller of {@code abort()})
	 */
	private void end(int code, String reason, boolean async) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		this.onEnd.accept(this);
		if (this.state.get() != OPENED) {
			return;
		}
		if (async) {
			try {
				this.executor.execute(() -> this.handler.onClose(code, reason));
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
		}
	}

	@Override
	public String toString() {
		return "JdkEndpoint[" + this.description + "]";
	}

}
