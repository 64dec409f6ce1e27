package dev.wsboot.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The protocol heartbeat of one connection
 * ({@link WsClient#heartbeat(Duration, Supplier)}), on the starter's timer: the first
 * beat after a random fraction of the interval, then one every interval, each written at
 * once (past the ready gate, ahead of queued messages). A beat due while the previous one
 * is unanswered terminates the connection, which then reconnects as after an idle
 * timeout. Stopped when its connection ends.
 */
final class ProtocolHeartbeat implements WsHeartbeat {

	private static final Log logger = LogFactory.getLog(ProtocolHeartbeat.class);

	private final Support support;

	private final @Nullable ClientConnection owner;

	private final Duration interval;

	private final Supplier<?> beat;

	private final AtomicBoolean unanswered = new AtomicBoolean();

	private volatile long sentNanos;

	private volatile boolean stopped;

	private @Nullable ScheduledFuture<?> task;

	ProtocolHeartbeat(Support support, @Nullable ClientConnection owner, Duration interval, Supplier<?> beat) {
		this.support = support;
		this.owner = owner;
		this.interval = interval;
		this.beat = beat;
		this.stopped = owner == null;
	}

	/** Schedule the beats; nothing happens when {@link #stop()} came first. */
	synchronized void start() {
		if (this.stopped) {
			return;
		}
		long nanos = this.interval.toNanos();
		long first = ThreadLocalRandom.current().nextLong(nanos);
		this.task = this.support.scheduler().scheduleAtFixedRate(this::beat, first, nanos, TimeUnit.NANOSECONDS);
	}

	/** Stop for good (cancelled, replaced, or the connection ended). */
	synchronized void stop() {
		this.stopped = true;
		if (this.task != null) {
			this.task.cancel(false);
			this.task = null;
		}
	}

	@Override
	public void acknowledged() {
		if (this.unanswered.compareAndSet(true, false)) {
			this.support.statistics().heartbeat(System.nanoTime() - this.sentNanos);
		}
	}

	@Override
	public void cancel() {
		stop();
	}

	@Override
	public boolean isActive() {
		return !this.stopped;
	}

	private void beat() {
		ClientConnection owner = this.owner;
		if (this.stopped || owner == null) {
			return;
		}
		if (this.unanswered.get() && this.support.dispatcher().isReadingPaused()) {
			// listeners are behind: the acknowledgement may be waiting for them, not lost
			return;
		}
		if (this.unanswered.get()) {
			stop();
			owner
				.terminate("Heartbeat not acknowledged within " + this.interval.toMillis() + " ms (zombie connection)");
			return;
		}
		String text;
		try {
			Object payload = this.beat.get();
			if (payload == null) {
				logger.warn("Client '" + this.support.clientName()
						+ "': the heartbeat supplier returned null; beat skipped");
				return;
			}
			text = (payload instanceof CharSequence chars) ? chars.toString() : this.support.json().apply(payload);
		}
		catch (RuntimeException ex) {
			logger.error("Client '" + this.support.clientName() + "': could not create the heartbeat; beat skipped",
					ex);
			return;
		}
		this.sentNanos = System.nanoTime();
		this.unanswered.set(true);
		this.support.sendQueue().sendNow(owner.connection(), text).whenComplete((result, failure) -> {
			if (failure != null && logger.isDebugEnabled()) {
				logger.debug("Client '" + this.support.clientName() + "': heartbeat not written: " + failure);
			}
		});
	}

	/**
	 * What the heartbeats of one client use, the same for each of its connections.
	 *
	 * @param clientName the client's name, for log messages
	 * @param scheduler the starter's timer
	 * @param statistics where acknowledged beats are timed
	 * @param dispatcher tells whether listeners are behind
	 * @param sendQueue writes the beats past the ready gate
	 * @param json writes a beat that is not text with the application's converter
	 */
	record Support(String clientName, ScheduledExecutorService scheduler, ClientStatistics statistics,
			InboundDispatcher dispatcher, SendQueue sendQueue, Function<Object, String> json) {

	}

}
