package dev.wsboot.test;

import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame as received by a {@link WsTestServer} from a client, recorded
 * exactly as it arrived on the wire (after unmasking).
 * <p>
 * Frames are raw: a fragmented or compressed message shows up as several frames and/or
 * compressed bytes here; use {@link WsTestConnection#texts()} and
 * {@link WsTestConnection#binaries()} for reassembled, decompressed messages.
 *
 * @param opcode the frame opcode (see the constants of this type)
 * @param fin whether the FIN bit was set
 * @param rsv the three RSV bits as a number from 0 to 7 ({@code 4} is RSV1)
 * @param masked whether the client masked the frame (clients must)
 * @param size the payload length announced by the frame header (saturated at
 * {@link Integer#MAX_VALUE})
 * @param payload the unmasked payload, truncated to the first 1 MiB for larger frames
 * @param receivedNanos the {@link System#nanoTime()} at which the frame was completely
 * read
 */
public record WsTestFrame(int opcode, boolean fin, int rsv, boolean masked, int size, byte[] payload,
		long receivedNanos) {

	/** Opcode of a continuation frame. */
	public static final int CONTINUATION = 0;

	/** Opcode of a text frame. */
	public static final int TEXT = 1;

	/** Opcode of a binary frame. */
	public static final int BINARY = 2;

	/** Opcode of a close frame. */
	public static final int CLOSE = 8;

	/** Opcode of a ping frame. */
	public static final int PING = 9;

	/** Opcode of a pong frame. */
	public static final int PONG = 10;

	/** The close code reported for a close frame without a payload (RFC 6455 §7.1.5). */
	public static final int NO_STATUS_CODE = 1005;

	/**
	 * Whether this is a text frame (the first frame of a text message).
	 * @return whether the opcode is {@link #TEXT}
	 */
	public boolean isText() {
		return this.opcode == TEXT;
	}

	/**
	 * Whether this is a binary frame (the first frame of a binary message).
	 * @return whether the opcode is {@link #BINARY}
	 */
	public boolean isBinary() {
		return this.opcode == BINARY;
	}

	/**
	 * Whether this is a continuation frame.
	 * @return whether the opcode is {@link #CONTINUATION}
	 */
	public boolean isContinuation() {
		return this.opcode == CONTINUATION;
	}

	/**
	 * Whether this is a close frame.
	 * @return whether the opcode is {@link #CLOSE}
	 */
	public boolean isClose() {
		return this.opcode == CLOSE;
	}

	/**
	 * Whether this is a ping frame.
	 * @return whether the opcode is {@link #PING}
	 */
	public boolean isPing() {
		return this.opcode == PING;
	}

	/**
	 * Whether this is a pong frame.
	 * @return whether the opcode is {@link #PONG}
	 */
	public boolean isPong() {
		return this.opcode == PONG;
	}

	/**
	 * Whether this is a control frame (opcode 8 or higher).
	 * @return whether the opcode denotes a control frame
	 */
	public boolean isControl() {
		return this.opcode >= CLOSE;
	}

	/**
	 * The recorded payload decoded as UTF-8 (invalid sequences are replaced).
	 * @return the payload as text
	 */
	public String text() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	/**
	 * The status code of a close frame.
	 * @return the code, or {@link #NO_STATUS_CODE 1005} when the payload holds none
	 */
	public int closeCode() {
		if (this.payload.length < 2) {
			return NO_STATUS_CODE;
		}
		return ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
	}

	/**
	 * The reason of a close frame.
	 * @return the reason, empty when the payload holds none
	 */
	public String closeReason() {
		if (this.payload.length <= 2) {
			return "";
		}
		return new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		StringBuilder result = new StringBuilder(opcodeName(this.opcode));
		result.append(this.fin ? " fin" : " non-fin");
		if (this.rsv != 0) {
			result.append(" rsv=").append(this.rsv);
		}
		result.append(this.masked ? " masked" : " unmasked").append(" size=").append(this.size);
		if (isClose()) {
			result.append(" code=").append(closeCode());
			if (!closeReason().isEmpty()) {
				result.append(" reason=\"").append(closeReason()).append('"');
			}
		}
		else if (isText() || (isContinuation() && this.rsv == 0)) {
			String text = text();
			result.append(" \"").append((text.length() > 60) ? text.substring(0, 60) + "..." : text).append('"');
		}
		return result.toString();
	}

	static String opcodeName(int opcode) {
		return switch (opcode) {
			case CONTINUATION -> "CONTINUATION";
			case TEXT -> "TEXT";
			case BINARY -> "BINARY";
			case CLOSE -> "CLOSE";
			case PING -> "PING";
			case PONG -> "PONG";
			default -> "OPCODE(" + opcode + ")";
		};
	}

}
