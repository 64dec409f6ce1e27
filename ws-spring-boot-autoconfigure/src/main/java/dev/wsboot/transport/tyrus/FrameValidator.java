package dev.wsboot.transport.tyrus;

import java.nio.ByteBuffer;

import org.glassfish.tyrus.spi.ReadHandler;
import org.jspecify.annotations.Nullable;

/**
 * Checks the frame headers of what a server sends before Tyrus parses it, for what Tyrus
 * 2.2 does not check: it unmasks masked server frames, waits for (and buffers) any
 * payload length a header announces up to 2^63-1 bytes, and fails a negative length with
 * 1011. This validator fails the connection with 1002 for a masked frame, a reserved
 * opcode, RSV bits no negotiated extension defined (RSV1 is permessage-deflate's, on the
 * first frame of a data message only), a fragmented or oversized control frame or a
 * negative length, and with 1009 for a frame longer than {@code max-message-size} (the
 * compressed form may be slightly longer), as soon as the header arrives: the payload is
 * never read.
 * <p>
 * It sees the raw bytes of one connection, in order, on the connection's reading thread
 * (one call at a time). Bytes up to the offending frame still reach Tyrus, so messages
 * before it are delivered; nothing after it does. What Tyrus checks itself (fragment
 * sequence, close frame payload and code, UTF-8) is left to Tyrus.
 * <p>
 * It hands the bytes on in pieces of at most {@link #MAX_PIECE} bytes. Tyrus fails a read
 * that does not fit its buffer (max-message-size plus {@code READ_SLACK}) with "Buffer
 * overflow.", and one read of Grizzly can be much larger than the socket receive buffer:
 * a thread reads into the largest direct buffer it ever used, writes included (a selector
 * thread that flushed a 5 MiB message then reads up to 5 MiB at once).
 */
final class FrameValidator implements ReadHandler {

	private static final int OPCODE_TEXT = 0x1;

	private static final int OPCODE_BINARY = 0x2;

	private static final int OPCODE_CLOSE = 0x8;

	private static final int OPCODE_PONG = 0xA;

	private static final int PROTOCOL_ERROR = 1002;

	private static final int TOO_BIG = 1009;

	/**
	 * The most bytes handed to Tyrus at once: the rest of its buffer's slack once a
	 * frame, compressed ones included, is in it.
	 */
	static final int MAX_PIECE = 512 * 1024;

	private final ReadHandler tyrus;

	private final long maxPayload;

	private final long maxCompressedPayload;

	private final boolean deflate;

	private final Listener listener;

	private final byte[] header = new byte[10];

	private int headerLength;

	private int headerNeeded = 2;

	private long payloadRemaining;

	private boolean compressedMessage;

	private boolean failed;

	/**
	 * Create a validator for one connection.
	 * @param tyrus the read handler of Tyrus, which gets the bytes that passed
	 * @param maxMessageSize the largest (uncompressed) payload a frame may announce
	 * @param deflate whether permessage-deflate was negotiated (RSV1 allowed)
	 * @param listener told about the first violation
	 */
	FrameValidator(ReadHandler tyrus, long maxMessageSize, boolean deflate, Listener listener) {
		this.tyrus = tyrus;
		this.maxPayload = maxMessageSize;
		// deflate's worst case for incompressible data (zlib's deflateBound), plus the
		// flush
		this.maxCompressedPayload = maxMessageSize + (maxMessageSize >> 12) + (maxMessageSize >> 14) + 64;
		this.deflate = deflate;
		this.listener = listener;
	}

	@Override
	public void handle(ByteBuffer data) {
		if (this.failed) {
			return;
		}
		int start = data.position();
		int limit = data.limit();
		int position = start;
		int frameStart = start;
		while (position < limit) {
			if (this.payloadRemaining > 0) {
				int skip = (int) Math.min(this.payloadRemaining, limit - position);
				position += skip;
				this.payloadRemaining -= skip;
				continue;
			}
			if (this.headerLength == 0) {
				frameStart = position;
			}
			this.header[this.headerLength++] = data.get(position++);
			Violation violation = (this.headerLength == this.headerNeeded) ? headerComplete() : null;
			if (violation != null) {
				this.failed = true;
				if (frameStart > start) {
					handOn(data.duplicate().limit(frameStart));
				}
				this.listener.protocolViolation(violation.code(), violation.reason());
				return;
			}
		}
		handOn(data);
	}

	private void handOn(ByteBuffer data) {
		int limit = data.limit();
		if (data.remaining() <= MAX_PIECE) {
			this.tyrus.handle(data);
			return;
		}
		for (int start = data.position(); start < limit; start += MAX_PIECE) {
			this.tyrus.handle(data.duplicate().position(start).limit(Math.min(limit, start + MAX_PIECE)));
		}
	}

	/**
	 * The header bytes collected so far are complete (2, then 4 or 10 with an extended
	 * length): check them.
	 * @return the violation, {@code null} when the frame is fine so far
	 */
	private @Nullable Violation headerComplete() {
		if (this.headerLength == 2) {
			Violation violation = checkFirstTwoBytes();
			if (violation != null) {
				return violation;
			}
			int length = this.header[1] & 0x7F;
			if (length == 126 || length == 127) {
				this.headerNeeded = (length == 126) ? 4 : 10;
				return null;
			}
			return startPayload(length);
		}
		long length = 0;
		for (int i = 2; i < this.headerNeeded; i++) {
			length = (length << 8) | (this.header[i] & 0xFF);
		}
		if (length < 0) {
			return new Violation(PROTOCOL_ERROR, "Frame length with the most significant bit set");
		}
		return startPayload(length);
	}

	private @Nullable Violation checkFirstTwoBytes() {
		int opcode = this.header[0] & 0x0F;
		boolean fin = (this.header[0] & 0x80) != 0;
		int rsv = (this.header[0] >> 4) & 0x07;
		if ((this.header[1] & 0x80) != 0) {
			return new Violation(PROTOCOL_ERROR, "Masked frame from the server");
		}
		if ((opcode > OPCODE_BINARY && opcode < OPCODE_CLOSE) || opcode > OPCODE_PONG) {
			return new Violation(PROTOCOL_ERROR, "Reserved opcode " + opcode);
		}
		boolean control = opcode >= OPCODE_CLOSE;
		boolean firstOfMessage = opcode == OPCODE_TEXT || opcode == OPCODE_BINARY;
		if ((rsv & 0x03) != 0 || ((rsv & 0x04) != 0 && !(this.deflate && firstOfMessage))) {
			return new Violation(PROTOCOL_ERROR, "RSV bits set that no negotiated extension defines");
		}
		if (control && !fin) {
			return new Violation(PROTOCOL_ERROR, "Fragmented control frame");
		}
		if (control && (this.header[1] & 0x7F) > 125) {
			return new Violation(PROTOCOL_ERROR, "Control frame longer than 125 bytes");
		}
		if (firstOfMessage) {
			this.compressedMessage = (rsv & 0x04) != 0;
		}
		return null;
	}

	private @Nullable Violation startPayload(long length) {
		boolean control = (this.header[0] & 0x08) != 0;
		long max = (!control && this.compressedMessage) ? this.maxCompressedPayload : this.maxPayload;
		if (!control && length > max) {
			return new Violation(TOO_BIG,
					"Frame of " + length + " bytes exceeds max-message-size (" + this.maxPayload + " bytes)");
		}
		this.payloadRemaining = length;
		this.headerLength = 0;
		this.headerNeeded = 2;
		return null;
	}

	private record Violation(int code, String reason) {
	}

	/**
	 * Told about the first frame that breaks the protocol or the size limit; nothing more
	 * is read from the connection afterwards.
	 */
	interface Listener {

		/**
		 * Fail the connection.
		 * @param code 1002 or 1009
		 * @param reason what was wrong
		 */
		void protocolViolation(int code, String reason);

	}

}
