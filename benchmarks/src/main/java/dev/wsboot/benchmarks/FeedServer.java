package dev.wsboot.benchmarks;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The load source of every benchmark: Jetty 12.1 on 127.0.0.1, so the client is what gets
 * measured.
 * <ul>
 * <li>{@code /stream}: streams {@link Messages} to each connection, as fast as it reads,
 * with batched writes (many frames per socket write) and a window of frames in flight
 * (backpressure from the socket)</li>
 * <li>{@code /count}: counts the text messages it receives</li>
 * <li>{@code /echo}: echoes every text message at once (no batching)</li>
 * <li>{@code /idle}: accepts and says nothing (pings are answered by Jetty)</li>
 * </ul>
 */
public final class FeedServer implements AutoCloseable {

	/** Frames a streaming connection may have queued but not yet written. */
	private static final int WINDOW = 4096;

	/** Frames per socket write. */
	private static final int BATCH = 256;

	private final Server server;

	private final ServerConnector connector;

	private final LongAdder counted = new LongAdder();

	private final AtomicLong streamed = new AtomicLong();

	private FeedServer(int port, int maxThreads) throws Exception {
		QueuedThreadPool threads = new QueuedThreadPool(maxThreads, 2);
		threads.setName("jetty");
		threads.setDaemon(true);
		this.server = new Server(threads, new ScheduledExecutorScheduler("jetty-scheduler", true), null);
		this.connector = new ServerConnector(this.server, 1, 1);
		this.connector.setHost("127.0.0.1");
		this.connector.setPort(port);
		this.connector.setReuseAddress(true);
		this.connector.setAcceptQueueSize(4096);
		this.connector.setIdleTimeout(Duration.ofHours(1).toMillis());
		this.server.addConnector(this.connector);
		this.server.setHandler(WebSocketUpgradeHandler.from(this.server, (container) -> {
			container.setIdleTimeout(Duration.ofHours(1));
			container.setOutputBufferSize(64 * 1024);
			container.setMaxTextMessageSize(1024 * 1024);
			container.addMapping("/stream", (request, response, callback) -> new Streamer());
			container.addMapping("/count", (request, response, callback) -> new Counter());
			container.addMapping("/echo", (request, response, callback) -> new Echo());
			container.addMapping("/idle", (request, response, callback) -> new Idle());
		}));
		this.server.start();
	}

	/**
	 * Start a server on a random free port of 127.0.0.1.
	 * @return the running server
	 */
	public static FeedServer start() {
		return start(0);
	}

	/**
	 * Start a server on the given port of 127.0.0.1 ({@code 0} for a random one).
	 * @param port the port
	 * @return the running server
	 */
	public static FeedServer start(int port) {
		return start(port, 64);
	}

	static FeedServer start(int port, int maxThreads) {
		try {
			return new FeedServer(port, maxThreads);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Jetty did not start", ex);
		}
	}

	public int port() {
		return this.connector.getLocalPort();
	}

	public URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + port() + path);
	}

	/** Messages received on {@code /count} since start. */
	public long counted() {
		return this.counted.sum();
	}

	/** Frames written by {@code /stream} connections since start. */
	public long streamed() {
		return this.streamed.get();
	}

	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Streams messages from its own thread until the connection closes. */
	public final class Streamer implements Session.Listener.AutoDemanding {

		private final Semaphore window = new Semaphore(WINDOW);

		private volatile boolean open;

		@Override
		public void onWebSocketOpen(Session session) {
			this.open = true;
			CoreSession core = ((WebSocketSession) session).getCoreSession();
			Thread thread = new Thread(() -> stream(core), "jetty-streamer");
			thread.setDaemon(true);
			thread.start();
		}

		private void stream(CoreSession core) {
			Callback written = Callback.from(this.window::release, (failure) -> this.window.release());
			ByteBuffer[] payloads = Messages.utf8();
			int mask = payloads.length - 1;
			long n = 0;
			try {
				while (this.open) {
					if (!this.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
						continue;
					}
					n++;
					boolean batch = (n % BATCH) != 0;
					core.sendFrame(new Frame(OpCode.TEXT, payloads[(int) (n & mask)].slice()), written, batch);
					if (!batch) {
						FeedServer.this.streamed.addAndGet(BATCH);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onWebSocketClose(int statusCode, String reason) {
			this.open = false;
		}

		@Override
		public void onWebSocketError(Throwable cause) {
			this.open = false;
		}

	}

	public final class Counter implements Session.Listener.AutoDemanding {

		@Override
		public void onWebSocketError(Throwable cause) {
			// the client went away: expected
		}

		@Override
		public void onWebSocketText(String message) {
			FeedServer.this.counted.increment();
		}

	}

	public static final class Idle implements Session.Listener.AutoDemanding {

		@Override
		public void onWebSocketError(Throwable cause) {
			// the client went away: expected
		}

	}

	public static final class Echo implements Session.Listener.AutoDemanding {

		private volatile Session session;

		@Override
		public void onWebSocketOpen(Session session) {
			this.session = session;
		}

		@Override
		public void onWebSocketText(String message) {
			this.session.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
		}

	}

}
