package dev.wsboot.transport.jdk;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.ConnectAttempt;
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
 * called when the handler returned from the previous callback, unless the handler paused
 * reading ({@link JdkWsConnection#readNext()}). A paused connection holds no thread; the
 * JDK answers pings meanwhile only once it reads them.
 */
final class JdkEndpoint implements WebSocket.Listener {

	private static final Log logger = LogFactory.getLog(JdkEndpoint.class);

	private final WsConnectRequest request;

	/** The connect's state machine, shared with the Tyrus transport. */
	private final ConnectAttempt attempt;

	private volatile @Nullable JdkWsConnection connection;

	JdkEndpoint(WsConnectRequest request, WsConnectionHandler handler, ScheduledExecutorService scheduler,
			Executor executor, Consumer<JdkEndpoint> onEnd) {
		this.request = request;
		this.attempt = new ConnectAttempt(request, handler, scheduler, executor, "jdk", () -> onEnd.accept(this),
				() -> {
				});
	}

	CompletableFuture<WsConnection> future() {
		return this.attempt.future();
	}

	/** Fail the connect when it is not done after the request's connect timeout. */
	void startTimeout() {
		this.attempt.startTimeout();
	}

	/**
	 * Follow the JDK's connect.
	 * @param opening the future of {@code WebSocket.Builder.buildAsync}
	 */
	void opening(CompletableFuture<WebSocket> opening) {
		opening.whenComplete((webSocket, failure) -> {
			if (failure != null) {
				this.attempt.fail(JdkFailures.map(failure, this.request));
			}
			else if (!this.attempt.isConnecting() && this.connection == null) {
				// failed before the JDK finished opening: never handed out
				webSocket.abort();
			}
		});
	}

	/** The transport closes: fail the connect or drop the connection. */
	void shutdown() {
		this.attempt.shutdown(this.connection);
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		String subprotocol = webSocket.getSubprotocol();
		if (subprotocol != null && !subprotocol.isEmpty() && !this.request.subprotocols().contains(subprotocol)) {
			// the JDK checks this too; never hand such a connection out
			this.attempt.fail(JdkFailures.unofferedSubprotocol(this.request, subprotocol));
		}
		if (!this.attempt.opening()) {
			webSocket.abort();
			return;
		}
		JdkWsConnection connection = new JdkWsConnection(webSocket, this.attempt.description(), this::aborted);
		this.connection = connection;
		this.attempt.opened(connection);
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		try {
			// the JDK decodes each part completely: a part never ends inside a UTF-8
			// sequence
			if (!this.attempt.hasEnded()) {
				this.attempt.handler().onText(data.toString(), last);
			}
		}
		finally {
			readNext(webSocket);
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		try {
			if (!this.attempt.hasEnded()) {
				this.attempt.handler().onBinary(data, last);
			}
		}
		finally {
			readNext(webSocket);
		}
		return null;
	}

	/** The JDK has already queued the pong. */
	@Override
	public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		readNext(webSocket);
		return null;
	}

	private void readNext(WebSocket webSocket) {
		JdkWsConnection connection = this.connection;
		if (connection != null) {
			connection.readNext();
		}
		else {
			webSocket.request(1);
		}
	}

	@Override
	public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
		try {
			if (!this.attempt.hasEnded()) {
				this.attempt.handler().onPong(message);
			}
		}
		finally {
			readNext(webSocket);
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
	 * (reported as 1002, or 1007 for invalid UTF-8; the JDK's close frame with that code
	 * may or may not get out first), or because the connection broke (1006).
	 */
	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		int code = JdkFailures.closeCode(error);
		String message = JdkFailures.safeMessage(error, this.request.uri());
		if (logger.isDebugEnabled()) {
			logger.debug("The connection to " + this.attempt.description() + " failed with " + code + ": "
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
		this.attempt.end(code, reason, async);
	}

	@Override
	public String toString() {
		return "JdkEndpoint[" + this.attempt.description() + "]";
	}

}
