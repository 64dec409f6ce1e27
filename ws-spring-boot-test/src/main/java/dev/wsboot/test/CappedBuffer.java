package dev.wsboot.test;

import java.util.Arrays;

/**
 * A growable byte buffer that keeps at most {@code limit} bytes but counts everything
 * written to it.
 */
final class CappedBuffer {

	private final int limit;

	private byte[] bytes = new byte[256];

	private int count;

	private long total;

	CappedBuffer(int limit) {
		this.limit = limit;
	}

	void write(byte[] data, int offset, int length) {
		this.total += length;
		int keep = Math.min(length, this.limit - this.count);
		if (keep <= 0) {
			return;
		}
		if (this.count + keep > this.bytes.length) {
			int capacity = (int) Math.min(this.limit, Math.max((long) this.bytes.length * 2, this.count + keep));
			this.bytes = Arrays.copyOf(this.bytes, capacity);
		}
		System.arraycopy(data, offset, this.bytes, this.count, keep);
		this.count += keep;
	}

	/**
	 * The kept bytes.
	 * @return a copy of the first {@code limit} bytes written
	 */
	byte[] toByteArray() {
		return Arrays.copyOf(this.bytes, this.count);
	}

	/**
	 * How many bytes were written, kept or not.
	 * @return the total
	 */
	long total() {
		return this.total;
	}

}
