package dev.wsboot.interop;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic test payloads, so that a server can produce the same message a test
 * expects.
 */
final class Payloads {

	private static final String WORDS = "{\"symbol\":\"ACME\",\"bid\":12.5,\"ask\":12.6,\"note\":\"Grüße 東京\"}";

	private Payloads() {
	}

	/**
	 * A compressible text of {@code length} characters (ASCII and non-ASCII).
	 * @param length the number of UTF-16 characters
	 * @return the text
	 */
	static String text(int length) {
		StringBuilder text = new StringBuilder(length);
		int i = 0;
		while (text.length() < length) {
			text.append(WORDS).append(i++);
		}
		text.setLength(length);
		return text.toString();
	}

	/**
	 * Incompressible bytes.
	 * @param length how many
	 * @return the bytes, the same for the same length
	 */
	static byte[] binary(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
