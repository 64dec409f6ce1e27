package dev.wsboot.transport.tyrus;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import dev.wsboot.transport.SerialDrain;

/**
 * At most a few connects of a transport in flight at once; the others wait in order,
 * without holding a thread. Tyrus runs every connect on a thread of its own from an
 * unbounded pool, so a reconnect storm of N clients would otherwise start N threads (and
 * hit the server with N handshakes at once).
 * <p>
 * An attempt is a {@link BooleanSupplier} that starts the connect and answers whether it
 * is now in flight; an attempt in flight calls {@link #release()} exactly once when it is
 * done. Whoever submits or releases starts what the freed permits allow, one thread at a
 * time, so callbacks that complete at once do not recurse.
 */
final class ConnectThrottle {

	private final Semaphore permits;

	private final Queue<BooleanSupplier> waiting = new ConcurrentLinkedQueue<>();

	/** Starts waiting attempts, one thread at a time. */
	private final SerialDrain draining = new SerialDrain(this::startWaiting);

	ConnectThrottle(int maxInFlight) {
		this.permits = new Semaphore(maxInFlight);
	}

	/**
	 * Start an attempt now, or once a permit is free.
	 * @param attempt starts the connect; {@code true} when it is in flight (and will call
	 * {@link #release()})
	 */
	void submit(BooleanSupplier attempt) {
		this.waiting.offer(attempt);
		drain();
	}

	/** An attempt in flight is done: its permit goes to the next one waiting. */
	void release() {
		this.permits.release();
		drain();
	}

	int waiting() {
		return this.waiting.size();
	}

	private void drain() {
		this.draining.request();
	}

	private void startWaiting() {
		while (!this.waiting.isEmpty() && this.permits.tryAcquire()) {
			BooleanSupplier attempt = this.waiting.poll();
			boolean inFlight;
			try {
				inFlight = (attempt != null) && attempt.getAsBoolean();
			}
			catch (RuntimeException ex) {
				// an attempt reports its own failures; this one is not in flight
				inFlight = false;
			}
			if (!inFlight) {
				this.permits.release();
			}
		}
	}

}
