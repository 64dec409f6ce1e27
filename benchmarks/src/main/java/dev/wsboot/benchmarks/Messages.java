package dev.wsboot.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The messages the benchmarks move: 1,024 different JSON quotes of exactly 64 bytes, so a
 * parser cannot learn one string and a length check cannot be skipped.
 */
public final class Messages {

	/** Bytes (and chars) per message. */
	public static final int SIZE = 64;

	private static final String[] TEXTS = new String[1024];

	private static final ByteBuffer[] UTF8 = new ByteBuffer[TEXTS.length];

	static {
		for (int i = 0; i < TEXTS.length; i++) {
			String text = String.format(Locale.ROOT,
					"{\"sym\":\"ACME\",\"px\":%6.2f,\"qty\":%3d,\"seq\":%7d,\"ts\":%8d}", 100 + i * 0.37, 100 + i % 900,
					1_000_000 + i, 17_322_400 + i);
			if (text.length() != SIZE) {
				throw new IllegalStateException("Message " + i + " has " + text.length() + " bytes: " + text);
			}
			TEXTS[i] = text;
			UTF8[i] = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
		}
	}

	private Messages() {
	}

	/** The i-th message (modulo 1,024). */
	public static String text(long i) {
		return TEXTS[(int) (i & (TEXTS.length - 1))];
	}

	static ByteBuffer[] utf8() {
		return UTF8.clone();
	}

	/** A received quote, the POJO listeners' payload type. */
	public record Quote(String sym, double px, int qty, long seq, long ts) {
	}

}
