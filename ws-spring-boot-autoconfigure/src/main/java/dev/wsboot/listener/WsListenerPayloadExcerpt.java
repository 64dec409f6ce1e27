package dev.wsboot.listener;

import java.nio.ByteBuffer;

import dev.wsboot.client.WsMessage;

/**
 * Short, log-safe descriptions of a failed message: at most {@value #MAX_CHARS}
 * characters of payload (text with line breaks escaped, binary as hex), never headers.
 */
final class WsListenerPayloadExcerpt {

	static final int MAX_CHARS = 200;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private WsListenerPayloadExcerpt() {
	}

	/**
	 * Describe a message with its size and the start of its payload.
	 * @param message the message
	 * @return e.g. <code>text message (1234 chars) '{"id":1,...'...</code>
	 */
	static String describe(WsMessage message) {
		String kind = message.isLast() ? "message" : "fragment";
		if (message.isText()) {
			String text = message.text();
			boolean cut = text.length() > MAX_CHARS;
			return "text " + kind + " (" + text.length() + " chars) '"
					+ escape(cut ? text.substring(0, MAX_CHARS) : text) + (cut ? "'..." : "'");
		}
		ByteBuffer data = message.binary();
		int length = data.remaining();
		int shown = Math.min(length, MAX_CHARS / 2);
		StringBuilder hex = new StringBuilder(shown * 2);
		for (int i = 0; i < shown; i++) {
			int b = data.get(data.position() + i) & 0xff;
			hex.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
		}
		return "binary " + kind + " (" + length + " bytes) 0x" + hex + ((shown < length) ? "..." : "");
	}

	/**
	 * Summarize an exception on one line, at most {@value #MAX_CHARS} characters of
	 * message (parsers may quote the payload).
	 * @param ex the exception
	 * @return the class name and message
	 */
	static String summary(Throwable ex) {
		String message = ex.getMessage();
		if (message == null) {
			return ex.getClass().getName();
		}
		boolean cut = message.length() > MAX_CHARS;
		return ex.getClass().getName() + ": " + escape(cut ? message.substring(0, MAX_CHARS) + "..." : message);
	}

	private static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String replacement = (c == '\n') ? "\\n" : (c == '\r') ? "\\r" : (c == '\t') ? "\\t" : null;
			if (replacement != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null && replacement != null) {
				escaped.append(replacement);
			}
			else if (escaped != null) {
				escaped.append(c);
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
