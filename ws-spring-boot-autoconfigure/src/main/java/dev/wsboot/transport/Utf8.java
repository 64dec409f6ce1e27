package dev.wsboot.transport;

/**
 * UTF-8 arithmetic on char sequences, without encoding them: the one place the starter
 * counts UTF-8 bytes (message limits, fragmenting outbound text, close reasons).
 * <p>
 * A char outside a surrogate pair counts as UTF-8 encodes it: 1 byte below U+0080, 2
 * below U+0800, else 3 (also a lone surrogate, which an encoder replaces with a 3-byte
 * character); a surrogate pair counts 4.
 */
public final class Utf8 {

	private Utf8() {
	}

	/**
	 * The number of bytes the text takes in UTF-8.
	 * @param text the text
	 * @return its UTF-8 length
	 */
	public static long length(CharSequence text) {
		int length = text.length();
		// one byte per char, plus what the chars beyond ASCII take more: one char read
		// per char (a received message is measured on the reading thread)
		long bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					bytes += 1;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length
						&& Character.isLowSurrogate(text.charAt(i + 1))) {
					// a pair: four bytes for two chars
					bytes += 2;
					i++;
				}
				else {
					bytes += 2;
				}
			}
		}
		return bytes;
	}

	/**
	 * Where a fragment starting at {@code start} ends so that it takes at most
	 * {@code maxBytes} in UTF-8 and does not split a surrogate pair; at least one char
	 * (or pair) when any is left, whatever its size.
	 * @param text the text
	 * @param start the fragment's first char
	 * @param maxBytes the byte budget (at least 4)
	 * @return the index after the fragment's last char
	 */
	public static int fragmentEnd(CharSequence text, int start, int maxBytes) {
		int end = prefixEnd(text, start, maxBytes);
		return (end == start && start < text.length()) ? start + chars(text, start) : end;
	}

	/**
	 * The longest prefix of the text that takes at most {@code maxBytes} in UTF-8 and
	 * does not end inside a surrogate pair, e.g. for a close reason (at most 123 bytes).
	 * @param text the text
	 * @param maxBytes the byte budget
	 * @return the text, cut if needed
	 */
	public static String truncate(String text, int maxBytes) {
		int end = prefixEnd(text, 0, maxBytes);
		return (end == text.length()) ? text : text.substring(0, end);
	}

	private static int prefixEnd(CharSequence text, int start, long maxBytes) {
		int length = text.length();
		long bytes = 0;
		int i = start;
		while (i < length) {
			int size = bytes(text, i);
			if (bytes + size > maxBytes) {
				break;
			}
			bytes += size;
			i += chars(text, i);
		}
		return i;
	}

	/** The UTF-8 bytes of the char (or surrogate pair) at {@code i}. */
	private static int bytes(CharSequence text, int i) {
		char c = text.charAt(i);
		if (c < 0x80) {
			return 1;
		}
		if (c < 0x800) {
			return 2;
		}
		return (chars(text, i) == 2) ? 4 : 3;
	}

	/** 2 for a surrogate pair at {@code i}, else 1. */
	private static int chars(CharSequence text, int i) {
		return (Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
				&& Character.isLowSurrogate(text.charAt(i + 1))) ? 2 : 1;
	}

}
