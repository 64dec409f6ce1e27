package dev.wsboot.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate codec (RFC 7692) with no context takeover in either direction:
 * each message is compressed and inflated on its own.
 */
final class PerMessageDeflate {

	static final String RESPONSE_EXTENSION = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

	private static final byte[] TAIL = { 0x00, 0x00, (byte) 0xFF, (byte) 0xFF };

	private static final int CHUNK = 64 * 1024;

	private PerMessageDeflate() {
	}

	/**
	 * Compress one message: raw deflate, sync flush, without the trailing
	 * {@code 00 00 ff ff}.
	 * @param data the message payload
	 * @return the compressed payload
	 */
	static byte[] compress(byte[] data) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
			deflater.setInput(data);
			flush(deflater, out);
			return stripTail(out.toByteArray());
		}
		finally {
			deflater.end();
		}
	}

	/**
	 * Compress a message of {@code inflatedSize} zero bytes, feeding the deflater chunk
	 * by chunk so that the uncompressed message never exists in memory.
	 * @param inflatedSize the size of the message once inflated
	 * @return the compressed payload (roughly a thousandth of the inflated size)
	 */
	static byte[] compressZeros(long inflatedSize) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] zeros = new byte[CHUNK];
			byte[] buffer = new byte[CHUNK];
			long remaining = inflatedSize;
			while (remaining > 0) {
				int length = (int) Math.min(CHUNK, remaining);
				deflater.setInput(zeros, 0, length);
				while (!deflater.needsInput()) {
					int count = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
					out.write(buffer, 0, count);
				}
				remaining -= length;
			}
			flush(deflater, out);
			return stripTail(out.toByteArray());
		}
		finally {
			deflater.end();
		}
	}

	private static void flush(Deflater deflater, ByteArrayOutputStream out) {
		byte[] buffer = new byte[CHUNK];
		int count;
		do {
			count = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
			out.write(buffer, 0, count);
		}
		while (count == buffer.length);
	}

	private static byte[] stripTail(byte[] compressed) {
		int length = compressed.length;
		if (length >= 4 && Arrays.equals(compressed, length - 4, length, TAIL, 0, 4)) {
			return Arrays.copyOf(compressed, length - 4);
		}
		return compressed;
	}

	/**
	 * Inflate compressed bytes into a sink.
	 * @param inflater the message's inflater (raw, {@code nowrap})
	 * @param input the compressed bytes
	 * @param offset where they start in the array
	 * @param length how many there are
	 * @param sink where the inflated bytes go
	 * @throws IOException when the bytes are not valid deflate data
	 */
	static void inflate(Inflater inflater, byte[] input, int offset, int length, CappedBuffer sink) throws IOException {
		if (length == 0 || inflater.finished()) {
			return;
		}
		inflater.setInput(input, offset, length);
		byte[] buffer = new byte[CHUNK];
		while (true) {
			int count;
			try {
				count = inflater.inflate(buffer);
			}
			catch (DataFormatException ex) {
				throw new IOException("Invalid permessage-deflate data: " + ex.getMessage(), ex);
			}
			if (count == 0) {
				return;
			}
			sink.write(buffer, 0, count);
		}
	}

	/**
	 * Complete a message by inflating the {@code 00 00 ff ff} tail that the sender
	 * stripped.
	 * @param inflater the message's inflater
	 * @param sink where the inflated bytes go
	 * @throws IOException when the data is invalid
	 */
	static void finish(Inflater inflater, CappedBuffer sink) throws IOException {
		inflate(inflater, TAIL, 0, TAIL.length, sink);
	}

}
