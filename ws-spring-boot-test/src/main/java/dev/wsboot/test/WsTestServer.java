package dev.wsboot.test;

import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real, scriptable WebSocket server for testing WebSocket clients, listening on
 * {@code 127.0.0.1} on a random port. It implements the server side of RFC 6455 by hand
 * so that tests can also make it misbehave: send masked frames, RSV bits, unknown opcodes
 * or invalid UTF-8, stall mid-frame, drop TCP or refuse handshakes.
 * <p>
 * Each connection is served by its own threads: the {@link #onConnect(Consumer) script}
 * runs on the connection's thread ({@code ws-test-server-<port>-<n>}) right after the
 * handshake, while another thread records every frame the client sends. By default the
 * server accepts every handshake and echoes every message.
 * <p>
 * As a JUnit 5 extension registered on a {@code static} field, the server is closed after
 * all tests of the class: <pre class="code">
 * &#064;RegisterExtension
 * static final WsTestServer server = WsTestServer.start();
 *
 * &#064;DynamicPropertySource
 * static void properties(DynamicPropertyRegistry registry) {
 *     server.bindTo(registry, "quotes");
 * }
 * </pre> It can also be used in a try-with-resources block.
 */
public final class WsTestServer implements AutoCloseable, AfterAllCallback {

	private static final Consumer<WsTestConnection> ECHO = WsTestConnection::echo;

	private static final Function<WsTestHandshake, WsTestHandshakeResponse> ACCEPT = (
			handshake) -> WsTestHandshakeResponse.accept();

	private final ServerLog log = new ServerLog();

	private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();

	private final Set<WsTestConnection> open = ConcurrentHashMap.newKeySet();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connectionCount = new AtomicInteger();

	private final LoopbackListener listener;

	private volatile Consumer<WsTestConnection> script = ECHO;

	private volatile Function<WsTestHandshake, WsTestHandshakeResponse> decider = ACCEPT;

	private volatile boolean recordPayloads = true;

	private WsTestServer() {
		this.listener = LoopbackListener.start(this::accepted);
	}

	/**
	 * Start a server on {@code 127.0.0.1} and a random port; it accepts connections at
	 * once.
	 * @return the running server
	 */
	public static WsTestServer start() {
		return new WsTestServer();
	}

	/**
	 * The port the server listens on; it stays the same across {@link #restart()}.
	 * @return the port
	 */
	public int port() {
		return this.listener.port();
	}

	/**
	 * The server's root URL.
	 * @return {@code ws://127.0.0.1:<port>/}
	 */
	public URI url() {
		return url("/");
	}

	/**
	 * A URL on this server.
	 * @param path the path, with or without a leading {@code /}, optionally with a query
	 * @return {@code ws://127.0.0.1:<port>/<path>}
	 */
	public URI url(String path) {
		return URI.create("ws://127.0.0.1:" + port() + (path.startsWith("/") ? "" : "/") + path);
	}

	/**
	 * Register {@code ws.clients.<clientName>.url} pointing at {@link #url()}. This is
	 * the only method that needs spring-test on the class path.
	 * @param registry the registry of a {@code @DynamicPropertySource} method
	 * @param clientName the name of the managed client
	 */
	public void bindTo(DynamicPropertyRegistry registry, String clientName) {
		bindTo(registry, clientName, "/");
	}

	/**
	 * Register {@code ws.clients.<clientName>.url} pointing at {@link #url(String)}.
	 * @param registry the registry of a {@code @DynamicPropertySource} method
	 * @param clientName the name of the managed client
	 * @param path the path, optionally with a query
	 */
	public void bindTo(DynamicPropertyRegistry registry, String clientName, String path) {
		String url = url(path).toString();
		registry.add("ws.clients." + clientName + ".url", () -> url);
	}

	/**
	 * Set the script run for each new connection, on that connection's thread, once the
	 * handshake is done; connections already open keep their script. The connection stays
	 * open when the script returns. Defaults to {@link WsTestConnection#echo()}.
	 * @param script the script
	 * @return this server
	 */
	public WsTestServer onConnect(Consumer<WsTestConnection> script) {
		this.script = script;
		return this;
	}

	/**
	 * Set how handshakes are answered; the function runs on the connection's thread and
	 * may block, e.g. to stall a handshake. By default every handshake is accepted,
	 * selecting no subprotocol and no extension. Requests that are not valid WebSocket
	 * upgrades are refused with 400 (426 for a wrong version) without asking the
	 * function.
	 * @param decider the function deciding each handshake
	 * @return this server
	 */
	public WsTestServer handshake(Function<WsTestHandshake, WsTestHandshakeResponse> decider) {
		this.decider = decider;
		return this;
	}

	/**
	 * Set whether new connections record data frames and message payloads (the default)
	 * or only count messages; see {@link WsTestConnection#recordPayloads(boolean)}.
	 * @param record whether to record payloads
	 * @return this server
	 */
	public WsTestServer recordPayloads(boolean record) {
		this.recordPayloads = record;
		return this;
	}

	/**
	 * Every connection accepted so far (since the last {@link #reset()}), in order.
	 * @return the connections
	 */
	public List<WsTestConnection> connections() {
		return this.log.connections();
	}

	/**
	 * Every handshake request received so far (since the last {@link #reset()}),
	 * including refused ones, in order.
	 * @return the handshakes
	 */
	public List<WsTestHandshake> handshakes() {
		return this.log.handshakes();
	}

	/**
	 * The exceptions thrown by connection scripts and handshake functions so far; they
	 * are also printed to {@code System.err}.
	 * @return the failures
	 */
	public List<Throwable> scriptFailures() {
		return this.log.failures();
	}

	/**
	 * Wait (at most 10 seconds) for the next connection not yet returned by an
	 * {@code await} method.
	 * @return the connection
	 */
	public WsTestConnection awaitConnection() {
		return awaitConnections(1).get(0);
	}

	/**
	 * Wait (at most 10 seconds) for the next {@code count} connections not yet returned
	 * by an {@code await} method.
	 * @param count the number of connections
	 * @return the connections, in order
	 */
	public List<WsTestConnection> awaitConnections(int count) {
		return this.log.awaitConnections(count);
	}

	/**
	 * Restore the default script, handshake function and payload recording, and forget
	 * the recorded connections, handshakes and script failures. Open connections stay
	 * open.
	 */
	public void reset() {
		this.script = ECHO;
		this.decider = ACCEPT;
		this.recordPayloads = true;
		this.log.clear();
	}

	/**
	 * Stop accepting connections and drop every open connection (TCP close, no close
	 * frame); the port is released. Recorded connections are kept.
	 */
	public void stop() {
		this.listener.stop();
		dropAll();
	}

	/**
	 * Stop the way a server process shuts down gracefully: stop accepting connections
	 * (the port is released), start the closing handshake on every open connection with
	 * {@code code} and {@code reason}, and wait (at most 5 seconds) for each client's
	 * close frame; everything a client sent before its close frame is recorded.
	 * Connections still open after that are dropped. Recorded connections are kept.
	 * @param code the status code, such as 1001 (going away) or 1012 (service restart)
	 * @param reason the reason
	 */
	public void stopGracefully(int code, String reason) {
		this.listener.stop();
		List<Thread> closing = this.open.stream().map((connection) -> {
			Thread thread = new Thread(() -> connection.close(code, reason), "ws-test-server-" + port() + "-closing");
			thread.setDaemon(true);
			thread.start();
			return thread;
		}).toList();
		for (Thread thread : closing) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		dropAll();
	}

	private void dropAll() {
		for (WsTestConnection connection : this.open) {
			connection.dropTcp();
		}
		for (Socket socket : this.handshaking) {
			ConnectionHandler.closeQuietly(socket);
		}
	}

	/**
	 * Listen on the same port again (stopping first if running) and accept connections.
	 */
	public void restart() {
		stop();
		this.listener.listen();
	}

	/**
	 * {@link #stop() Stop} the server for good and interrupt its remaining threads.
	 * Idempotent.
	 */
	@Override
	public void close() {
		if (this.listener.close()) {
			dropAll();
			this.threads.forEach(Thread::interrupt);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	public String toString() {
		return "WsTestServer " + url();
	}

	private void accepted(Socket socket) {
		this.handshaking.add(socket);
		if (!this.listener.isListening()) {
			this.handshaking.remove(socket);
			ConnectionHandler.closeQuietly(socket);
			return;
		}
		int id = this.connectionCount.incrementAndGet();
		Consumer<WsTestConnection> connectionScript = this.script;
		start("ws-test-server-" + port() + "-" + id, new ConnectionHandler(this, socket, id, connectionScript));
	}

	void handshakeDone(Socket socket) {
		this.handshaking.remove(socket);
	}

	void recordHandshake(WsTestHandshake handshake) {
		this.log.addHandshake(handshake);
	}

	WsTestHandshakeResponse decide(WsTestHandshake handshake) {
		WsTestHandshakeResponse response = this.decider.apply(handshake);
		return (response != null) ? response : WsTestHandshakeResponse.accept();
	}

	boolean recordsPayloads() {
		return this.recordPayloads;
	}

	void record(WsTestConnection connection) {
		this.open.add(connection);
		this.log.addConnection(connection);
	}

	void forget(WsTestConnection connection) {
		this.open.remove(connection);
		connection.dropTcp();
	}

	void publish(WsTestConnection connection) {
		start(Thread.currentThread().getName() + "-reader", () -> {
			try {
				connection.reader().run();
			}
			finally {
				this.open.remove(connection);
			}
		});
		if (!this.listener.isListening()) {
			connection.dropTcp();
		}
	}

	private void start(String name, Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			}
			finally {
				this.threads.remove(Thread.currentThread());
			}
		}, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	void recordFailure(String what, Throwable failure) {
		if (!this.listener.isClosed()) {
			this.log.addFailure(failure);
			System.err.println("WsTestServer: " + what + " failed:");
			failure.printStackTrace();
		}
	}

}
