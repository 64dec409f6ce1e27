package dev.wsboot.transport;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls a {@link WsConnectionHandler} one callback at a time, never after
 * {@code onClose}, and without blocking anyone: what transports wrap their handler in.
 * <p>
 * WebSocket implementations deliver frames one at a time, but the end of a connection may
 * also be reported from another thread ({@code abort()}, the transport closing, Tyrus
 * closing the session on the caller's thread) or from within a callback. A callback that
 * arrives while another one runs is queued and run by the thread already inside, right
 * after it returns. The uncontended case (every inbound frame) runs inline and allocates
 * nothing, so a handler that holds the thread applies backpressure. Exceptions thrown by
 * the handler are logged, except those of {@code onOpen}, which are rethrown to fail the
 * connect.
 */
public final class SerializedConnectionHandler implements WsConnectionHandler {

	private static final Log logger = LogFactory.getLog(SerializedConnectionHandler.class);

	private final WsConnectionHandler delegate;

	private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

	/** Runs queued callbacks, one thread at a time; entered inline when uncontended. */
	private final SerialDrain drain = new SerialDrain(this::runQueued);

	/** Whether onClose was called; only touched by the thread inside. */
	private boolean closed;

	/**
	 * Wrap a handler.
	 * @param delegate the handler to call
	 */
	public SerializedConnectionHandler(WsConnectionHandler delegate) {
		this.delegate = delegate;
	}

	@Override
	public void onOpen(WsConnection connection) {
		if (this.drain.tryEnter()) {
			try {
				if (!this.closed) {
					this.delegate.onOpen(connection);
				}
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> {
				if (!this.closed) {
					this.delegate.onOpen(connection);
				}
			});
		}
	}

	@Override
	public void onText(String text, boolean last) {
		if (this.drain.tryEnter()) {
			try {
				text(text, last);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> text(text, last));
		}
	}

	@Override
	public void onBinary(ByteBuffer data, boolean last) {
		if (this.drain.tryEnter()) {
			try {
				binary(data, last);
			}
			finally {
				leave();
			}
		}
		else {
			// only while the end is being reported: dropped, as it comes after onClose
			submit(() -> binary(data, last));
		}
	}

	@Override
	public void onPong(ByteBuffer payload) {
		if (this.drain.tryEnter()) {
			try {
				pong(payload);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> pong(payload));
		}
	}

	@Override
	public void onClose(int code, String reason) {
		if (this.drain.tryEnter()) {
			try {
				close(code, reason);
			}
			finally {
				leave();
			}
		}
		else {
			submit(() -> close(code, reason));
		}
	}

	private void text(String text, boolean last) {
		if (this.closed) {
			return;
		}
		try {
			this.delegate.onText(text, last);
		}
		catch (RuntimeException ex) {
			failed("onText", ex);
		}
	}

	private void binary(ByteBuffer data, boolean last) {
		if (this.closed) {
			return;
		}
		try {
			this.delegate.onBinary(data, last);
		}
		catch (RuntimeException ex) {
			failed("onBinary", ex);
		}
	}

	private void pong(ByteBuffer payload) {
		if (this.closed) {
			return;
		}
		try {
			this.delegate.onPong(payload);
		}
		catch (RuntimeException ex) {
			failed("onPong", ex);
		}
	}

	private void close(int code, String reason) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.delegate.onClose(code, reason);
		}
		catch (RuntimeException ex) {
			failed("onClose", ex);
		}
	}

	private void submit(Runnable callback) {
		this.queue.offer(callback);
		this.drain.request();
	}

	private void leave() {
		this.drain.exit();
	}

	private void runQueued() {
		Runnable callback;
		while ((callback = this.queue.poll()) != null) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				failed("a queued callback", ex);
			}
		}
	}

	private void failed(String callback, RuntimeException ex) {
		logger.warn("WebSocket connection handler " + this.delegate.getClass().getName() + " failed in " + callback,
				ex);
	}

}
