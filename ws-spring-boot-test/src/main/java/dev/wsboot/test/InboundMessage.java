package dev.wsboot.test;

import java.io.IOException;
import java.util.zip.Inflater;

/**
 * A data message being received, fragment by fragment, inflated on the fly when it is
 * compressed, and kept up to a size limit.
 */
final class InboundMessage {

	private final boolean text;

	private final Inflater inflater;

	private final CappedBuffer payload;

	InboundMessage(boolean text, boolean compressed, int limit) {
		this.text = text;
		this.inflater = compressed ? new Inflater(true) : null;
		this.payload = new CappedBuffer(limit);
	}

	boolean isText() {
		return this.text;
	}

	void append(byte[] data, int offset, int length) throws IOException {
		if (this.inflater != null) {
			PerMessageDeflate.inflate(this.inflater, data, offset, length, this.payload);
		}
		else {
			this.payload.write(data, offset, length);
		}
	}

	/**
	 * Complete the message.
	 * @return the kept payload
	 * @throws IOException when the compressed data is invalid
	 */
	byte[] finish() throws IOException {
		try {
			if (this.inflater != null) {
				PerMessageDeflate.finish(this.inflater, this.payload);
			}
			return this.payload.toByteArray();
		}
		finally {
			release();
		}
	}

	/**
	 * The size of the message so far, after inflation.
	 * @return the number of payload bytes
	 */
	long size() {
		return this.payload.total();
	}

	void release() {
		if (this.inflater != null) {
			this.inflater.end();
		}
	}

}
