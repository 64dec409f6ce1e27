package dev.wsboot.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The state machine of one {@link WsTransport#connect connect}, from the attempt to the
 * end of the connection it becomes, which every transport shares: the connect future, the
 * connect timeout, the handler (one callback at a time, see
 * {@link SerializedConnectionHandler}) and the single report of the connection's end.
 * <p>
 * An attempt is <em>connecting</em> until it either <em>opens</em> (the handshake
 * succeeded and the handler's {@code onOpen} returned; the future completes with the
 * connection) or <em>fails</em> (first of: {@link #fail(Throwable)} with the transport's
 * failure, the timeout, the transport closing, the caller cancelling the future).
 * Whatever comes later is ignored: a connection that opens after the attempt failed is
 * dropped unseen. The end of an opened connection is reported to the handler exactly
 * once, last.
 * <p>
 * For transport implementations; not part of the starter's API.
 */
public final class ConnectAttempt {

	private static final Log logger = LogFactory.getLog(ConnectAttempt.class);

	private static final int CONNECTING = 0;

	private static final int OPENED = 1;

	private static final int FAILED = 2;

	private final WsConnectRequest request;

	private final SerializedConnectionHandler handler;

	private final ScheduledExecutorService scheduler;

	private final Executor reports;

	private final String transport;

	private final Runnable onEnd;

	private final Runnable onFailure;

	private final String description;

	private final CompletableFuture<WsConnection> future = new CompletableFuture<>();

	private final AtomicInteger state = new AtomicInteger(CONNECTING);

	/** Set once the handler may no longer hear from this connection. */
	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile boolean shutdown;

	private volatile @Nullable ScheduledFuture<?> timeout;

	/**
	 * Start following a connect.
	 * @param request what is connected to
	 * @param handler the caller's handler
	 * @param scheduler runs the connect timeout
	 * @param reports runs end reports that must not run on the calling thread
	 * @param transport the transport's name, for messages ({@code tyrus}, {@code jdk})
	 * @param onEnd called once the attempt failed or its connection ended (the transport
	 * forgets it)
	 * @param onFailure called once when the attempt fails, before {@code onEnd} (the
	 * transport lets go of what it holds for the connect)
	 */
	public ConnectAttempt(WsConnectRequest request, WsConnectionHandler handler, ScheduledExecutorService scheduler,
			Executor reports, String transport, Runnable onEnd, Runnable onFailure) {
		this.request = request;
		this.handler = new SerializedConnectionHandler(handler);
		this.scheduler = scheduler;
		this.reports = reports;
		this.transport = transport;
		this.onEnd = onEnd;
		this.onFailure = onFailure;
		this.description = TransportFailures.describe(request.uri());
		this.future.whenComplete((connection, failure) -> {
			// failed, timed out, cancelled by the caller or the transport closed
			if (failure != null && this.state.compareAndSet(CONNECTING, FAILED)) {
				cancelTimeout();
				this.ended.set(true);
				this.onFailure.run();
				this.onEnd.run();
				logger.debug("Connecting to " + this.description + " failed: " + failure);
			}
		});
	}

	/**
	 * The connect future the transport returns.
	 * @return the future
	 */
	public CompletableFuture<WsConnection> future() {
		return this.future;
	}

	/**
	 * The handler, called one callback at a time; the transport calls it only while
	 * {@link #hasEnded()} is {@code false}.
	 * @return the handler
	 */
	public WsConnectionHandler handler() {
		return this.handler;
	}

	/**
	 * The URL as it may be shown.
	 * @return the masked URL
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Whether the connect is neither open nor failed yet.
	 * @return whether it is connecting
	 */
	public boolean isConnecting() {
		return this.state.get() == CONNECTING;
	}

	/**
	 * Whether the handler may no longer hear from this connection.
	 * @return whether the attempt failed or its connection ended
	 */
	public boolean hasEnded() {
		return this.ended.get();
	}

	/**
	 * Fail the connect when it is not done after the request's connect timeout.
	 */
	public void startTimeout() {
		long millis = this.request.connectTimeout().toMillis();
		if (millis > 0) {
			try {
				this.timeout = this.scheduler.schedule(() -> fail(new TimeoutException(
						"Connecting to " + this.description + " timed out after " + this.request.connectTimeout())),
						millis, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				fail(closed());
			}
		}
	}

	/**
	 * Fail the connect if it is still connecting.
	 * @param failure the reason
	 */
	public void fail(Throwable failure) {
		if (this.state.get() == CONNECTING) {
			this.future.completeExceptionally(failure);
		}
	}

	/**
	 * The handshake succeeded: move to open, unless the attempt failed meanwhile.
	 * @return {@code true} to go on with {@link #opened(WsConnection)}; {@code false}
	 * when the attempt had failed, and the transport drops the connection unseen
	 */
	public boolean opening() {
		if (!this.state.compareAndSet(CONNECTING, OPENED)) {
			this.ended.set(true);
			return false;
		}
		cancelTimeout();
		return true;
	}

	/**
	 * Hand the open connection to the handler, then complete the future with it; drop it
	 * when the handler failed, the caller cancelled or the transport closed meanwhile.
	 * @param connection the connection, after a successful {@link #opening()}
	 */
	public void opened(WsConnection connection) {
		try {
			this.handler.onOpen(connection);
		}
		catch (RuntimeException ex) {
			logger.warn("WebSocket connection handler failed in onOpen for " + this.description, ex);
			this.future.completeExceptionally(ex);
		}
		if (!this.future.complete(connection) || this.shutdown) {
			connection.abort();
		}
	}

	/**
	 * The transport closes: fail the connect, or drop the connection.
	 * @param connection the connection, if it opened
	 */
	public void shutdown(@Nullable WsConnection connection) {
		this.shutdown = true;
		fail(closed());
		if (connection != null) {
			connection.abort();
		}
	}

	/**
	 * Report the end of the connection to the handler, once, if it opened.
	 * @param code the close code
	 * @param reason the close reason
	 * @param async whether to report it from the reports executor rather than from the
	 * calling thread (which is inside a call that closes the connection)
	 * @return whether this call ended the attempt
	 */
	public boolean end(int code, String reason, boolean async) {
		if (!this.ended.compareAndSet(false, true)) {
			return false;
		}
		this.onEnd.run();
		if (this.state.get() != OPENED) {
			return true;
		}
		if (async) {
			try {
				this.reports.execute(() -> this.handler.onClose(code, reason));
				return true;
			}
			catch (RejectedExecutionException ex) {
				// transport closed: report it here
			}
		}
		this.handler.onClose(code, reason);
		return true;
	}

	private IllegalStateException closed() {
		return new IllegalStateException("The " + this.transport + " transport was closed");
	}

	private void cancelTimeout() {
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
			// not kept for the life of the connection
			this.timeout = null;
		}
	}

	@Override
	public String toString() {
		return "ConnectAttempt[" + this.description + "]";
	}

}
