package dev.wsboot.transport.tyrus;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;

/**
 * Makes sure the callbacks of one connection never run concurrently, without blocking
 * anyone.
 * <p>
 * Tyrus delivers frames one at a time from its read task, but it also calls
 * {@code Endpoint.onClose} on whatever thread closes the session: the caller of
 * {@code sendClose}, or the handler itself from within {@code onText}. A callback that
 * arrives while another one runs is queued and run by the thread that is already inside,
 * right after it returns; the uncontended case (every inbound frame) runs inline, so a
 * handler that holds the reading thread still applies backpressure, and allocates nothing.
 */
final class SerializedHandler implements WsConnectionHandler {

	private static final Log logger = LogFactory.getLog(SerializedHandler.class);

	private final WsConnectionHandler delegate;

	private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

	/** Callbacks running or waiting; the thread that moves it from 0 runs them all. */
	private final AtomicInteger pending = new AtomicInteger();

	SerializedHandler(WsConnectionHandler delegate) {
		this.delegate = delegate;
	}

	/**
	 * Unlike the other callbacks, a failure of {@code onOpen} is rethrown: it fails the
	 * connect.
	 */
	@Override
	public void onOpen(WsConnection connection) {
		if (this.pending.compareAndSet(0, 1)) {
			try {
				this.delegate.onOpen(connection);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> this.delegate.onOpen(connection));
		}
	}

	@Override
	public void onText(String text, boolean last) {
		if (this.pending.compareAndSet(0, 1)) {
			try {
				this.delegate.onText(text, last);
			}
			catch (RuntimeException ex) {
				failed("onText", ex);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> this.delegate.onText(text, last));
		}
	}

	@Override
	public void onBinary(ByteBuffer data, boolean last) {
		if (this.pending.compareAndSet(0, 1)) {
			try {
				this.delegate.onBinary(data, last);
			}
			catch (RuntimeException ex) {
				failed("onBinary", ex);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> this.delegate.onBinary(data, last));
		}
	}

	@Override
	public void onPong(ByteBuffer payload) {
		if (this.pending.compareAndSet(0, 1)) {
			try {
				this.delegate.onPong(payload);
			}
			catch (RuntimeException ex) {
				failed("onPong", ex);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> this.delegate.onPong(payload));
		}
	}

	@Override
	public void onClose(int code, String reason) {
		if (this.pending.compareAndSet(0, 1)) {
			try {
				this.delegate.onClose(code, reason);
			}
			catch (RuntimeException ex) {
				failed("onClose", ex);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> this.delegate.onClose(code, reason));
		}
	}

	private void submit(Runnable callback) {
		this.queue.offer(callback);
		if (this.pending.getAndIncrement() == 0) {
			drain(1);
		}
	}

	private void leave() {
		int missed = this.pending.decrementAndGet();
		if (missed != 0) {
			drain(missed);
		}
	}

	private void drain(int missed) {
		while (missed != 0) {
			Runnable callback;
			while ((callback = this.queue.poll()) != null) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					failed("callback", ex);
				}
			}
			missed = this.pending.addAndGet(-missed);
		}
	}

	private void failed(String callback, RuntimeException ex) {
		logger.warn("WebSocket connection handler " + this.delegate.getClass().getName() + " failed in " + callback, ex);
	}

}
