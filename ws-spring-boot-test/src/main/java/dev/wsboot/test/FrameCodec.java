package dev.wsboot.test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6455 frame encoding and decoding, deliberately without any validation so that both
 * well-formed and malformed frames can be written and recorded.
 */
final class FrameCodec {

	private FrameCodec() {
	}

	/**
	 * A decoded frame header.
	 */
	record Header(boolean fin, int rsv, int opcode, boolean masked, long length, byte[] maskKey) {
	}

	/**
	 * Read the next frame header.
	 * @param in the input, positioned at a frame boundary
	 * @return the header, or {@code null} when the stream ended cleanly before a new
	 * frame
	 * @throws IOException on I/O errors or when the stream ends inside the header
	 */
	static Header readHeader(InputStream in) throws IOException {
		int first = in.read();
		if (first == -1) {
			return null;
		}
		int second = readByte(in);
		boolean fin = (first & 0x80) != 0;
		int rsv = (first >> 4) & 0x07;
		int opcode = first & 0x0F;
		boolean masked = (second & 0x80) != 0;
		long length = second & 0x7F;
		if (length == 126) {
			length = ((long) readByte(in) << 8) | readByte(in);
		}
		else if (length == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | readByte(in);
			}
		}
		byte[] maskKey = null;
		if (masked) {
			maskKey = new byte[4];
			for (int i = 0; i < 4; i++) {
				maskKey[i] = (byte) readByte(in);
			}
		}
		return new Header(fin, rsv, opcode, masked, length, maskKey);
	}

	private static int readByte(InputStream in) throws IOException {
		int b = in.read();
		if (b == -1) {
			throw new EOFException("Connection closed inside a frame header");
		}
		return b;
	}

	/**
	 * Encode a frame header.
	 * @param opcode the opcode (0-15)
	 * @param fin the FIN bit
	 * @param rsv the RSV bits (0-7)
	 * @param length the payload length (7, 16 or 64-bit encoding is chosen automatically)
	 * @param maskKey the masking key, or {@code null} for an unmasked frame
	 * @return the header bytes
	 */
	static byte[] encodeHeader(int opcode, boolean fin, int rsv, long length, byte[] maskKey) {
		if (opcode < 0 || opcode > 15) {
			throw new IllegalArgumentException("Opcode must be 0-15, was " + opcode);
		}
		if (rsv < 0 || rsv > 7) {
			throw new IllegalArgumentException("RSV bits must be 0-7, was " + rsv);
		}
		int lengthBytes = (length < 126) ? 0 : (length <= 0xFFFF) ? 2 : 8;
		int maskBytes = (maskKey != null) ? 4 : 0;
		byte[] header = new byte[2 + lengthBytes + maskBytes];
		header[0] = (byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode);
		int maskBit = (maskKey != null) ? 0x80 : 0;
		if (lengthBytes == 0) {
			header[1] = (byte) (maskBit | length);
		}
		else if (lengthBytes == 2) {
			header[1] = (byte) (maskBit | 126);
			header[2] = (byte) (length >> 8);
			header[3] = (byte) length;
		}
		else {
			header[1] = (byte) (maskBit | 127);
			for (int i = 0; i < 8; i++) {
				header[2 + i] = (byte) (length >> (56 - 8 * i));
			}
		}
		if (maskKey != null) {
			System.arraycopy(maskKey, 0, header, 2 + lengthBytes, 4);
		}
		return header;
	}

	/**
	 * Encode a complete frame.
	 * @param opcode the opcode (0-15)
	 * @param fin the FIN bit
	 * @param rsv the RSV bits (0-7)
	 * @param masked whether to mask the payload with a random key
	 * @param payload the payload
	 * @param offset the start of the payload in the array
	 * @param length the payload length
	 * @return the frame bytes
	 */
	static byte[] encode(int opcode, boolean fin, int rsv, boolean masked, byte[] payload, int offset, int length) {
		byte[] maskKey = null;
		if (masked) {
			maskKey = new byte[4];
			ThreadLocalRandom.current().nextBytes(maskKey);
		}
		byte[] header = encodeHeader(opcode, fin, rsv, length, maskKey);
		byte[] frame = new byte[header.length + length];
		System.arraycopy(header, 0, frame, 0, header.length);
		System.arraycopy(payload, offset, frame, header.length, length);
		if (maskKey != null) {
			mask(frame, header.length, length, maskKey, 0);
		}
		return frame;
	}

	/**
	 * Write a complete frame and flush.
	 * @param out the output
	 * @param opcode the opcode (0-15)
	 * @param fin the FIN bit
	 * @param rsv the RSV bits (0-7)
	 * @param masked whether to mask the payload
	 * @param payload the payload
	 * @throws IOException on I/O errors
	 */
	static void write(OutputStream out, int opcode, boolean fin, int rsv, boolean masked, byte[] payload)
			throws IOException {
		out.write(encode(opcode, fin, rsv, masked, payload, 0, payload.length));
		out.flush();
	}

	/**
	 * XOR bytes with a masking key, in place.
	 * @param data the bytes
	 * @param offset where to start in the array
	 * @param length how many bytes to mask
	 * @param maskKey the 4-byte key
	 * @param position the position of {@code data[offset]} within the frame payload
	 */
	static void mask(byte[] data, int offset, int length, byte[] maskKey, long position) {
		for (int i = 0; i < length; i++) {
			data[offset + i] ^= maskKey[(int) ((position + i) & 3)];
		}
	}

	/**
	 * Build a close frame payload.
	 * @param code the status code
	 * @param reason the reason, may be {@code null}
	 * @return the payload
	 */
	static byte[] closePayload(int code, String reason) {
		byte[] reasonBytes = (reason != null) ? reason.getBytes(StandardCharsets.UTF_8) : new byte[0];
		byte[] payload = new byte[2 + reasonBytes.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
		return payload;
	}

}
