package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.Utf8;

/**
 * The inbound messages of one {@link ClientConnection}, as the transport hands over their
 * fragments: the size limit across fragments, reassembly for listeners that want whole
 * messages, the received counts and the hand-off to the listeners through the
 * {@link InboundDispatcher}. Runs on the transport's reading thread only; whether the
 * connection is open, and how it ends, is the connection's.
 */
final class InboundMessages {

	private final long maxMessageSize;

	private final ClientStatistics statistics;

	private final InboundDispatcher dispatcher;

	/**
	 * The connection as the source of its messages; one instance, handed over with every
	 * message.
	 */
	private final InboundBudget.Source source;

	private List<WsMessageListener> wholeListeners = List.of();

	private List<WsMessageListener> partialListeners = List.of();

	/**
	 * Where whole binary messages are copied when no listener keeps them; else
	 * {@code null}.
	 */
	private @Nullable BufferPool bufferPool;

	private @Nullable StringBuilder textParts;

	private @Nullable ByteBuffer binaryParts;

	private long messageBytes;

	/** Whether a fragmented message is being received. */
	private boolean fragmented;

	InboundMessages(long maxMessageSize, ClientStatistics statistics, InboundDispatcher dispatcher,
			InboundBudget.Source source) {
		this.maxMessageSize = maxMessageSize;
		this.statistics = statistics;
		this.dispatcher = dispatcher;
		this.source = source;
	}

	/**
	 * The connection opened: hand its messages to {@code listeners}.
	 * @param listeners the client's listeners, whole and partial
	 * @param bufferPool the client's pool, used when no listener keeps a message
	 */
	void listeners(List<WsMessageListener> listeners, Supplier<BufferPool> bufferPool) {
		List<WsMessageListener> wholeListeners = new ArrayList<>();
		List<WsMessageListener> partialListeners = new ArrayList<>();
		for (WsMessageListener listener : listeners) {
			(listener.isPartial() ? partialListeners : wholeListeners).add(listener);
		}
		this.wholeListeners = wholeListeners;
		this.partialListeners = partialListeners;
		if (partialListeners.isEmpty() && !wholeListeners.isEmpty()
				&& wholeListeners.stream().noneMatch(WsMessageListener::retainsMessage)) {
			this.bufferPool = bufferPool.get();
		}
	}

	/**
	 * A text fragment arrived.
	 * @param text the fragment
	 * @param last whether it ends its message
	 * @return {@code false} when the message exceeds {@code max-message-size}: the
	 * connection must fail with 1009
	 */
	boolean text(String text, boolean last) {
		long bytes = Utf8.length(text);
		if (!this.partialListeners.isEmpty()) {
			dispatch(WsMessage.text(text, last), bytes, this.partialListeners);
		}
		if (last && !this.fragmented) {
			received(this.wholeListeners.isEmpty() ? null : WsMessage.text(text, true), bytes, true);
			return true;
		}
		this.fragmented = !last;
		if (!withinLimit(bytes)) {
			return false;
		}
		if (!this.wholeListeners.isEmpty()) {
			// assembled only for listeners that want whole messages
			if (this.textParts == null) {
				this.textParts = new StringBuilder(text.length() * 2);
			}
			this.textParts.append(text);
		}
		if (last) {
			StringBuilder parts = this.textParts;
			this.textParts = null;
			received((parts != null) ? WsMessage.text(parts.toString(), true) : null, messageEnded(), true);
		}
		return true;
	}

	/**
	 * A binary fragment arrived.
	 * @param data the fragment, in a buffer the transport reuses
	 * @param last whether it ends its message
	 * @return {@code false} when the message exceeds {@code max-message-size}: the
	 * connection must fail with 1009
	 */
	boolean binary(ByteBuffer data, boolean last) {
		int bytes = data.remaining();
		if (last && !this.fragmented) {
			BufferPool pool = this.bufferPool;
			if (pool != null && pool.isPooled(bytes)) {
				// into a pooled buffer: every listener uses the bytes only during its
				// call
				ByteBuffer copy = pool.acquire(bytes).put(data).flip();
				received(WsMessage.pooledBinary(copy, pool), bytes, false);
				return true;
			}
			// copied once, and only when a listener takes it: the transport reuses its
			// buffer
			ByteBuffer copy = (this.partialListeners.isEmpty() && this.wholeListeners.isEmpty()) ? null : copy(data);
			if (!this.partialListeners.isEmpty()) {
				dispatch(WsMessage.binary(copy, true), bytes, this.partialListeners);
			}
			received(this.wholeListeners.isEmpty() ? null : WsMessage.binary(copy, true), bytes, false);
			return true;
		}
		this.fragmented = !last;
		if (!this.partialListeners.isEmpty()) {
			dispatch(WsMessage.binary(copy(data.duplicate()), last), bytes, this.partialListeners);
		}
		if (!withinLimit(bytes)) {
			return false;
		}
		if (!this.wholeListeners.isEmpty()) {
			append(data);
		}
		if (last) {
			ByteBuffer parts = this.binaryParts;
			this.binaryParts = null;
			received((parts != null) ? WsMessage.binary(parts.flip(), true) : null, messageEnded(), false);
		}
		return true;
	}

	/**
	 * Add a fragment to the binary message being assembled, growing its buffer by
	 * doubling.
	 */
	private void append(ByteBuffer data) {
		ByteBuffer parts = this.binaryParts;
		if (parts == null || parts.remaining() < data.remaining()) {
			int needed = (int) this.messageBytes;
			long doubled = 2L * Math.max(needed, (parts != null) ? parts.capacity() : 0);
			ByteBuffer grown = ByteBuffer.allocate((int) Math.max(needed, Math.min(this.maxMessageSize, doubled)));
			if (parts != null) {
				parts.flip();
				grown.put(parts);
			}
			parts = grown;
			this.binaryParts = parts;
		}
		parts.put(data);
	}

	/** The fragmented message ended: its size, and the count starts over. */
	private long messageEnded() {
		long size = this.messageBytes;
		this.messageBytes = 0;
		return size;
	}

	/**
	 * Count a fragment towards its message; past the limit, drop what was assembled.
	 */
	private boolean withinLimit(long fragmentBytes) {
		this.messageBytes += fragmentBytes;
		if (this.messageBytes <= this.maxMessageSize) {
			return true;
		}
		this.textParts = null;
		this.binaryParts = null;
		return false;
	}

	/**
	 * A whole message arrived; {@code message} is {@code null} when nobody wanted it
	 * assembled.
	 */
	private void received(@Nullable WsMessage message, long bytes, boolean text) {
		ClientStatistics statistics = this.statistics;
		(text ? statistics.textReceived : statistics.binaryReceived).increment();
		statistics.bytesReceived.add(bytes);
		if (message != null) {
			dispatch(message, bytes, this.wholeListeners);
		}
	}

	private void dispatch(WsMessage message, long bytes, List<WsMessageListener> listeners) {
		this.dispatcher.submitMessage(message, listeners, bytes, this.source);
	}

	private static ByteBuffer copy(ByteBuffer data) {
		ByteBuffer copy = ByteBuffer.allocate(data.remaining());
		copy.put(data);
		return copy.flip();
	}

}
