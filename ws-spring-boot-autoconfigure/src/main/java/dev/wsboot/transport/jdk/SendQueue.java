package dev.wsboot.transport.jdk;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.TransportFailures;

/**
 * Hands sends to a {@link WebSocket} one at a time, in the order they were added.
 * <p>
 * The JDK fails a send issued while the previous one of the same kind (data, or
 * ping/pong) is outstanding with an {@link IllegalStateException}, while the SPI lets
 * callers issue sends without waiting. Sends wait here in a FIFO; the next one is handed
 * over when the JDK completes the previous one. The completion of one send never affects
 * the next: every send's future completes with its own outcome, and the queue moves on
 * either way.
 * <p>
 * One thread at a time runs the queue (a trampoline): when the JDK completes a send on
 * the calling thread, the running loop picks up the next one instead of recursing, so the
 * stack stays flat however many sends are queued.
 */
final class SendQueue {

	private final WebSocket webSocket;

	private final ArrayDeque<Send> queue = new ArrayDeque<>();

	/** Whether the JDK has a send of this queue; guarded by {@link #queue}. */
	private boolean inFlight;

	/** Whether a thread runs {@link #drain()}; guarded by {@link #queue}. */
	private boolean draining;

	/**
	 * Whether {@link #drain()} was asked to run while it ran; guarded by {@link #queue}.
	 */
	private boolean missed;

	SendQueue(WebSocket webSocket) {
		this.webSocket = webSocket;
	}

	/**
	 * Queue a send.
	 * @param send the send
	 * @return completes when the JDK wrote the frame, or fails with the JDK's failure
	 */
	CompletableFuture<Void> add(Send send) {
		synchronized (this.queue) {
			this.queue.add(send);
		}
		drain();
		return send.future;
	}

	private void drain() {
		synchronized (this.queue) {
			if (this.draining) {
				this.missed = true;
				return;
			}
			this.draining = true;
		}
		while (true) {
			Send next;
			synchronized (this.queue) {
				next = this.inFlight ? null : this.queue.poll();
				if (next == null) {
					if (!this.missed) {
						this.draining = false;
						return;
					}
					this.missed = false;
					continue;
				}
				this.inFlight = true;
			}
			start(next);
		}
	}

	private void start(Send send) {
		CompletableFuture<WebSocket> written;
		try {
			written = send.writeTo(this.webSocket);
		}
		catch (RuntimeException ex) {
			written = CompletableFuture.failedFuture(ex);
		}
		written.whenComplete((webSocket, failure) -> {
			synchronized (this.queue) {
				this.inFlight = false;
			}
			send.completed(failure);
			drain();
		});
	}

	/**
	 * One send, with its future.
	 */
	static final class Send {

		private static final int TEXT = 0;

		private static final int BINARY = 1;

		private static final int PING = 2;

		private static final int CLOSE = 3;

		private final int kind;

		private final @Nullable String text;

		private final @Nullable ByteBuffer data;

		private final boolean last;

		private final int code;

		final CompletableFuture<Void> future = new CompletableFuture<>();

		private Send(int kind, @Nullable String text, @Nullable ByteBuffer data, boolean last, int code) {
			this.kind = kind;
			this.text = text;
			this.data = data;
			this.last = last;
			this.code = code;
		}

		static Send text(String text, boolean last) {
			return new Send(TEXT, text, null, last, 0);
		}

		static Send binary(ByteBuffer data, boolean last) {
			return new Send(BINARY, null, data, last, 0);
		}

		static Send ping(ByteBuffer payload) {
			return new Send(PING, null, payload, true, 0);
		}

		static Send close(int code, String reason) {
			return new Send(CLOSE, reason, null, true, code);
		}

		CompletableFuture<WebSocket> writeTo(WebSocket webSocket) {
			return switch (this.kind) {
				case TEXT -> webSocket.sendText(Objects.requireNonNull(this.text), this.last);
				case BINARY -> webSocket.sendBinary(Objects.requireNonNull(this.data), this.last);
				case PING -> webSocket.sendPing(Objects.requireNonNull(this.data));
				default -> webSocket.sendClose(this.code, Objects.requireNonNull(this.text));
			};
		}

		void completed(@Nullable Throwable failure) {
			if (failure == null) {
				this.future.complete(null);
			}
			else {
				this.future.completeExceptionally(TransportFailures.unwrap(failure));
			}
		}

	}

}
