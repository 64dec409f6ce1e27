package dev.wsboot.client;

/**
 * UTF-8 arithmetic on char sequences, without encoding them.
 */
final class Utf8 {

	private Utf8() {
	}

	/**
	 * The number of bytes the text takes in UTF-8.
	 * @param text the text
	 * @return its UTF-8 length
	 */
	static long length(CharSequence text) {
		int length = text.length();
		long bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					bytes += 1;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
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
	 * {@code maxBytes} in UTF-8 and does not split a surrogate pair.
	 * @param text the text
	 * @param start the fragment's first char
	 * @param maxBytes the byte budget (at least 4)
	 * @return the index after the fragment's last char
	 */
	static int fragmentEnd(CharSequence text, int start, int maxBytes) {
		int length = text.length();
		long bytes = 0;
		int i = start;
		while (i < length) {
			char c = text.charAt(i);
			int charBytes;
			int chars = 1;
			if (c < 0x80) {
				charBytes = 1;
			}
			else if (c < 0x800) {
				charBytes = 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				charBytes = 4;
				chars = 2;
			}
			else {
				charBytes = 3;
			}
			if (bytes + charBytes > maxBytes) {
				break;
			}
			bytes += charBytes;
			i += chars;
		}
		return (i == start) ? Math.min(length, start + 1) : i;
	}

}
