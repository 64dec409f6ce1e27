package dev.wsboot.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The writing side of one connection: every write is synchronized on the output stream
 * and flushed at once; data messages are compressed when permessage-deflate was accepted.
 */
final class FrameSender {

	private final OutputStream out;

	private final boolean deflate;

	private final String connection;

	private final AtomicBoolean closeSent = new AtomicBoolean();

	FrameSender(OutputStream out, boolean deflate, String connection) {
		this.out = out;
		this.deflate = deflate;
		this.connection = connection;
	}

	void message(int opcode, byte[] data) {
		if (this.deflate) {
			frame(opcode, true, 4, false, PerMessageDeflate.compress(data));
		}
		else {
			frame(opcode, true, 0, false, data);
		}
	}

	void fragmented(int opcode, byte[] data, int fragmentSize) {
		if (fragmentSize <= 0) {
			throw new IllegalArgumentException("Fragment size must be positive, was " + fragmentSize);
		}
		byte[] payload = this.deflate ? PerMessageDeflate.compress(data) : data;
		synchronized (this.out) {
			int offset = 0;
			do {
				int length = Math.min(fragmentSize, payload.length - offset);
				boolean first = offset == 0;
				boolean last = offset + length == payload.length;
				int rsv = (first && this.deflate) ? 4 : 0;
				raw(FrameCodec.encode(first ? opcode : WsTestFrame.CONTINUATION, last, rsv, false, payload, offset,
						length));
				offset += length;
			}
			while (offset < payload.length);
		}
	}

	void frame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload) {
		if (opcode == WsTestFrame.CLOSE) {
			this.closeSent.set(true);
		}
		raw(FrameCodec.encode(opcode, fin, rsv, masked, payload, 0, payload.length));
	}

	/**
	 * Send the server's close frame unless one was sent already.
	 * @param payload the close payload
	 */
	void closeOnce(byte[] payload) {
		if (this.closeSent.compareAndSet(false, true)) {
			raw(FrameCodec.encode(WsTestFrame.CLOSE, true, 0, false, payload, 0, payload.length));
		}
	}

	void raw(byte[] bytes) {
		synchronized (this.out) {
			try {
				this.out.write(bytes);
				this.out.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot send to " + this.connection, ex);
			}
		}
	}

}
