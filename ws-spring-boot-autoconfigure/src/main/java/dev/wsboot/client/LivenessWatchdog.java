package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsConnection;

/**
 * The liveness checks of one open connection, independent of what the transport does: a
 * ping every {@code ping-interval} carrying a fresh random payload (only the pong that
 * echoes it measures latency, so unsolicited or late pongs cannot fake one), and the idle
 * deadline: nothing received for {@code idle-timeout} means the peer is gone (silent,
 * half-open or stalled mid-frame), and the connection is terminated. While reading is
 * paused by backpressure from the listeners, silence says nothing about the peer (pongs
 * cannot arrive either) and the deadline waits; it counts again from the moment reading
 * resumes, so a peer that died meanwhile is found {@code idle-timeout} after the
 * listeners caught up. Pings keep being sent while reading is paused: a peer that is gone
 * for good fails those writes (reset), which ends the connection without waiting.
 */
final class LivenessWatchdog {

	private final ScheduledExecutorService scheduler;

	private final Duration pingInterval;

	private final Duration idleTimeout;

	private final ClientStatistics statistics;

	private final InboundDispatcher dispatcher;

	private final WsConnection connection;

	private final ClientConnection owner;

	private volatile long lastReceivedNanos = System.nanoTime();

	private volatile long pingId;

	private volatile long pingSentNanos;

	private volatile boolean pingOutstanding;

	private volatile boolean stopped;

	private @Nullable ScheduledFuture<?> pingTask;

	private volatile @Nullable ScheduledFuture<?> idleTask;

	LivenessWatchdog(ScheduledExecutorService scheduler, Duration pingInterval, Duration idleTimeout,
			ClientStatistics statistics, InboundDispatcher dispatcher, ClientConnection owner,
			WsConnection connection) {
		this.scheduler = scheduler;
		this.pingInterval = pingInterval;
		this.idleTimeout = idleTimeout;
		this.statistics = statistics;
		this.dispatcher = dispatcher;
		this.owner = owner;
		this.connection = connection;
	}

	/** Start pinging and watching; nothing happens when {@link #stop()} came first. */
	synchronized void start() {
		if (this.stopped) {
			return;
		}
		ScheduledExecutorService scheduler = this.scheduler;
		Duration ping = this.pingInterval;
		if (!ping.isZero()) {
			this.pingTask = scheduler.scheduleAtFixedRate(this::ping, ping.toNanos(), ping.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		Duration idle = this.idleTimeout;
		if (!idle.isZero()) {
			this.idleTask = scheduler.schedule(this::checkIdle, idle.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/** A frame (any frame) arrived. */
	void received() {
		long now = System.nanoTime();
		this.lastReceivedNanos = now;
		this.statistics.received(now);
	}

	/** A pong arrived. */
	void pong(ByteBuffer payload) {
		received();
		if (this.pingOutstanding && payload.remaining() == Long.BYTES
				&& payload.getLong(payload.position()) == this.pingId) {
			this.pingOutstanding = false;
			this.statistics.pong(System.nanoTime() - this.pingSentNanos);
		}
	}

	synchronized void stop() {
		this.stopped = true;
		cancel(this.pingTask);
		cancel(this.idleTask);
	}

	private void ping() {
		if (this.stopped) {
			return;
		}
		this.pingId = ThreadLocalRandom.current().nextLong();
		this.pingSentNanos = System.nanoTime();
		this.pingOutstanding = true;
		this.connection.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, this.pingId));
	}

	private void checkIdle() {
		if (this.stopped) {
			return;
		}
		Duration timeout = this.idleTimeout;
		if (this.dispatcher.isReadingPaused()) {
			// the deadline waits; the statistics keep the last frame's time
			this.lastReceivedNanos = System.nanoTime();
		}
		long since = this.lastReceivedNanos;
		long resumed = this.dispatcher.readingResumedNanos();
		if (resumed - since > 0) {
			since = resumed;
		}
		long silent = System.nanoTime() - since;
		if (silent >= timeout.toNanos()) {
			this.owner.terminate("No frame received for " + timeout.toMillis() + " ms (idle-timeout)");
			return;
		}
		this.idleTask = this.scheduler.schedule(this::checkIdle, timeout.toNanos() - silent, TimeUnit.NANOSECONDS);
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

}
