package dev.wsboot.transport;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a drain action one thread at a time without a lock: the serial-drain loop ("work
 * in progress" counter) that queues of this starter share. A thread that asks for a drain
 * while another one drains does not wait: it counts a missed request, and the draining
 * thread runs the action once more before it stops. So every request is followed by a run
 * of the action that starts after it, and runs never overlap.
 * <p>
 * The action drains what it finds (a queue until empty, permits until none is left); it
 * must not throw. Infrastructure shared by the starter's packages, not API.
 */
public final class SerialDrain {

	private final AtomicInteger pending = new AtomicInteger();

	private final Runnable action;

	private final Runnable loop = this::loop;

	/**
	 * A drain for an action.
	 * @param action drains what is there; never run concurrently with itself
	 */
	public SerialDrain(Runnable action) {
		this.action = action;
	}

	/**
	 * Run the action on this thread, again until no request came meanwhile, or, when
	 * another thread is draining, make it run once more.
	 */
	public void request() {
		if (this.pending.getAndIncrement() == 0) {
			loop();
		}
	}

	/**
	 * Like {@link #request()}, but the drain runs on an executor.
	 * @param executor runs the drain when none is running
	 * @throws java.util.concurrent.RejectedExecutionException when the executor refused
	 * the drain; the drain is then not running and the caller owns what was to be drained
	 * (see {@link #reset()})
	 */
	public void requestOn(Executor executor) {
		if (this.pending.getAndIncrement() == 0) {
			executor.execute(this.loop);
		}
	}

	/**
	 * Become the draining thread if none is, to do work inline; {@link #exit()} must
	 * follow.
	 * @return {@code true} when this thread now drains
	 */
	public boolean tryEnter() {
		return this.pending.compareAndSet(0, 1);
	}

	/**
	 * Stop draining after {@link #tryEnter()}: runs the action for the requests that came
	 * meanwhile first.
	 */
	public void exit() {
		int missed = this.pending.decrementAndGet();
		while (missed != 0) {
			this.action.run();
			missed = this.pending.addAndGet(-missed);
		}
	}

	/**
	 * Forget all requests; only for the thread that owns the drain because
	 * {@link #requestOn(Executor)} was refused.
	 */
	public void reset() {
		this.pending.set(0);
	}

	private void loop() {
		int missed = 1;
		do {
			this.action.run();
			missed = this.pending.addAndGet(-missed);
		}
		while (missed != 0);
	}

}
