package dev.wsboot.client;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * The heap buffers one client copies binary messages into for listeners that use the
 * bytes only during their call: size classes of 1, 2, 4, 8 and 16 KiB (at most
 * {@code max-message-size}), created on demand. Idle buffers are kept up to
 * {@value #IDLE_BYTES_PER_CLASS} bytes per class (256 buffers of 1 KiB, 16 of 16 KiB):
 * enough for the messages of one socket read, which arrive in a burst. Larger messages
 * get a buffer of their own, which is not kept; so does a message when every buffer of
 * its class is in use (the hand-off holds more messages than the pool keeps).
 * <p>
 * Taken on the transport thread, given back on the listener thread after the last
 * listener of the message returned: an uncontended lock, no allocation once warm.
 */
final class BufferPool {

	static final int IDLE_BYTES_PER_CLASS = 256 * 1024;

	private static final int MIN_SHIFT = 10;

	private static final int MAX_SHIFT = 14;

	private final int maxPooled;

	private final ByteBuffer[][] idle;

	private final int[] idleCounts;

	private long created;

	/**
	 * A pool for a client.
	 * @param maxMessageSize the client's {@code max-message-size}
	 */
	BufferPool(long maxMessageSize) {
		int largest = (int) Math.min(1 << MAX_SHIFT, Math.max(1 << MIN_SHIFT, maxMessageSize));
		int classes = classOf(largest) + 1;
		this.maxPooled = 1 << (classes - 1 + MIN_SHIFT);
		this.idle = new ByteBuffer[classes][];
		this.idleCounts = new int[classes];
	}

	/**
	 * A cleared buffer with room for {@code size} bytes.
	 * @param size the bytes needed
	 * @return a buffer from the pool or, when {@link #isPooled(int) not pooled} or none
	 * is idle, a new one
	 */
	ByteBuffer acquire(int size) {
		if (!isPooled(size)) {
			return ByteBuffer.allocate(size);
		}
		int sizeClass = classOf(size);
		synchronized (this) {
			int count = this.idleCounts[sizeClass];
			if (count > 0) {
				ByteBuffer buffer = this.idle[sizeClass][--count];
				this.idle[sizeClass][count] = null;
				this.idleCounts[sizeClass] = count;
				return buffer;
			}
			this.created++;
		}
		return ByteBuffer.allocate(1 << (sizeClass + MIN_SHIFT));
	}

	/**
	 * Give a buffer from {@link #acquire(int)} back; nothing may use it afterwards.
	 * @param buffer the buffer
	 */
	void release(@Nullable ByteBuffer buffer) {
		if (buffer == null || !isPooled(buffer.capacity()) || Integer.bitCount(buffer.capacity()) != 1
				|| buffer.capacity() < (1 << MIN_SHIFT) || buffer.isReadOnly()) {
			return;
		}
		int sizeClass = classOf(buffer.capacity());
		buffer.clear();
		synchronized (this) {
			ByteBuffer[] idle = this.idle[sizeClass];
			if (idle == null) {
				idle = new ByteBuffer[idleCapacity(buffer.capacity())];
				this.idle[sizeClass] = idle;
			}
			int count = this.idleCounts[sizeClass];
			if (count < idle.length) {
				idle[count] = buffer;
				this.idleCounts[sizeClass] = count + 1;
			}
		}
	}

	/**
	 * Whether messages of this size are pooled.
	 * @param size the message size
	 * @return whether it fits the largest class
	 */
	boolean isPooled(int size) {
		return size <= this.maxPooled;
	}

	/**
	 * How many pooled-size buffers were created so far (for tests).
	 * @return the count
	 */
	synchronized long created() {
		return this.created;
	}

	/**
	 * How many idle buffers of a size class are kept.
	 * @param size a size of the class
	 * @return the number
	 */
	static int idleCapacity(int size) {
		return IDLE_BYTES_PER_CLASS >> (classOf(size) + MIN_SHIFT);
	}

	private static int classOf(int size) {
		int shift = (size <= 1) ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1);
		return Math.max(0, shift - MIN_SHIFT);
	}

}
