package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Context;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.IOEventLifeCycleListener;
import org.glassfish.grizzly.IOStrategy;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.asyncqueue.AsyncQueue;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.strategies.AbstractIOStrategy;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.spi.Writer;
import org.jspecify.annotations.Nullable;

/**
 * Pausing the reading of one connection of Tyrus's Grizzly container without holding a
 * thread.
 * <p>
 * Grizzly's worker-thread strategy turns read interest off while a worker handles a read
 * and back on when the handling completes. The shared Grizzly transport gets a
 * {@link PausableIOStrategy} instead (installed once): reads of the connections it pauses
 * are handled on the selector thread that saw them (handshakes, other events and other
 * Tyrus clients' connections still go to the worker pool), and when a pause was asked for
 * while a read was handled (by the connection handler, from within a callback), read
 * interest stays off when the handling completes. {@link #resume()} turns read interest
 * back on, from any thread. Frames already read when the pause is asked for are still
 * delivered (the rest of that one socket read); writes (pings, sends, close) are not
 * paused.
 * <p>
 * Loaded only when the connection's writer is Grizzly's, so the JDK container works
 * without Grizzly on the class path.
 */
final class GrizzlyReadPause {

	private static final Log logger = LogFactory.getLog(GrizzlyReadPause.class);

	private static final String GRIZZLY_WRITER = "org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter";

	private static final Attribute<GrizzlyReadPause> PAUSE = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
		.createAttribute(GrizzlyReadPause.class.getName());

	private static final int READING = 0;

	/** Asked for during a read: read interest stays off when that read completes. */
	private static final int PAUSING = 1;

	private static final int PAUSED = 2;

	private static final Object INSTALL_LOCK = new Object();

	private final Connection connection;

	private final AtomicInteger state = new AtomicInteger(READING);

	GrizzlyReadPause(Connection connection) {
		this.connection = connection;
	}

	/**
	 * The read pause of the Grizzly connection under a Tyrus writer, installing the
	 * pausable strategy on its transport if needed.
	 * @param writer the connection's writer
	 * @return the pause, or {@code null} when the writer is not Grizzly's or its
	 * transport does not use the worker-thread strategy
	 */
	static @Nullable GrizzlyReadPause of(@Nullable Writer writer) {
		Class<?> grizzlyWriter = (writer != null) ? grizzlyWriter(writer.getClass()) : null;
		if (grizzlyWriter == null) {
			return null;
		}
		try {
			Field field = grizzlyWriter.getDeclaredField("connection");
			field.setAccessible(true);
			Connection connection = (Connection) field.get(writer);
			if (connection == null || !install(connection.getTransport())) {
				return null;
			}
			GrizzlyReadPause pause = new GrizzlyReadPause(connection);
			PAUSE.set(connection, pause);
			return pause;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Cannot pause reading of Tyrus's Grizzly connection; backpressure holds the reading thread",
					ex);
			return null;
		}
	}

	/**
	 * Whether a writer class is Grizzly's (Tyrus extends it anonymously).
	 * @param type the writer's class
	 * @return {@code GrizzlyWriter}, or {@code null}
	 */
	static @Nullable Class<?> grizzlyWriter(Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals(GRIZZLY_WRITER)) {
				return candidate;
			}
		}
		return null;
	}

	private static boolean install(Transport transport) {
		synchronized (INSTALL_LOCK) {
			IOStrategy strategy = transport.getIOStrategy();
			if (strategy instanceof PausableIOStrategy) {
				return true;
			}
			if (strategy != WorkerThreadIOStrategy.getInstance()) {
				return false;
			}
			// the worker pool configured for the transport stays (Grizzly only fills in a
			// missing one)
			transport.setIOStrategy(PausableIOStrategy.INSTANCE);
			return true;
		}
	}

	/**
	 * Stop reading once the current read is handled; called on the reading thread.
	 */
	void pause() {
		this.state.compareAndSet(READING, PAUSING);
	}

	/**
	 * Read again; from any thread.
	 */
	void resume() {
		if (this.state.getAndSet(READING) == PAUSED) {
			enableReading();
		}
		// PAUSING: the read being handled completes as usual and turns interest on
	}

	/**
	 * Whether read interest stays off now that a read was handled.
	 * <p>
	 * Interest is turned off <em>before</em> the pause is committed: a resume that sees
	 * {@code PAUSED} then turns it on after this "off" (both are queued to the selector
	 * in call order), and a resume that came first makes the commit fail, so the caller
	 * turns interest on. Committing first would let a resume's "on" slip in before the
	 * "off" and leave the connection unread for good.
	 * @return {@code true} when a pause was asked for during the read and is still wanted
	 */
	boolean readCompleted() {
		if (this.state.get() != PAUSING) {
			return false;
		}
		try {
			// off already unless the read was simulated
			this.connection.disableIOEvent(IOEvent.READ);
		}
		catch (IOException ex) {
			logger.debug("Pausing reading failed", ex);
		}
		return this.state.compareAndSet(PAUSING, PAUSED);
	}

	private void enableReading() {
		try {
			this.connection.enableIOEvent(IOEvent.READ);
		}
		catch (IOException ex) {
			logger.debug("Resuming reading failed", ex);
		}
	}

	/**
	 * Grizzly's {@link WorkerThreadIOStrategy}, except that reads of connections with a
	 * read pause are handled on the selector thread (like Grizzly's same-thread strategy)
	 * and read interest stays off after a read during which its connection asked for a
	 * pause.
	 */
	static final class PausableIOStrategy extends AbstractIOStrategy {

		static final PausableIOStrategy INSTANCE = new PausableIOStrategy();

		private static final Logger julLogger = Grizzly.logger(PausableIOStrategy.class);

		private static final IOEventLifeCycleListener ENABLE_UNLESS_PAUSED = new IOEventLifeCycleListener.Adapter() {

			@Override
			public void onReregister(Context context) throws IOException {
				onComplete(context, null);
			}

			@Override
			public void onComplete(Context context, @Nullable Object data) throws IOException {
				IOEvent event = context.getIoEvent();
				Connection connection = context.getConnection();
				if (AsyncQueue.EXPECTING_MORE_OPTION.equals(data)) {
					connection.simulateIOEvent(event);
					return;
				}
				if (event == IOEvent.READ) {
					GrizzlyReadPause pause = PAUSE.get(connection);
					if (pause != null && pause.readCompleted()) {
						return;
					}
				}
				connection.enableIOEvent(event);
			}

		};

		private PausableIOStrategy() {
		}

		@Override
		public boolean executeIoEvent(Connection connection, IOEvent event, boolean isIoEventEnabled)
				throws IOException {
			IOEventLifeCycleListener listener = null;
			if (isReadWrite(event)) {
				if (isIoEventEnabled) {
					connection.disableIOEvent(event);
				}
				listener = ENABLE_UNLESS_PAUSED;
			}
			// a read of a connection this strategy pauses is handled on the
			// selector thread that saw it: Tyrus parses the frames and the handler
			// hands the messages to the listener threads without ever holding it
			// (WsConnection.readsOnEventLoop): one thread hand-off per message, not
			// two. Handshakes (TLS included) and connections of other Tyrus clients
			// sharing the transport stay on the worker pool.
			Executor pool = (event == IOEvent.READ && PAUSE.get(connection) != null) ? null
					: getThreadPoolFor(connection, event);
			IOEventLifeCycleListener chosen = listener;
			if (pool != null) {
				pool.execute(() -> fireIOEvent(connection, event, chosen, julLogger));
			}
			else {
				fireIOEvent(connection, event, chosen, julLogger);
			}
			return true;
		}

	}

}
