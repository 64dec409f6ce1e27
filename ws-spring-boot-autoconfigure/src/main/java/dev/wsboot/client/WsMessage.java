package dev.wsboot.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A received WebSocket message (or, for partial listeners, a fragment of one): text or
 * binary.
 */
public final class WsMessage {

	private final @Nullable String text;

	private final @Nullable ByteBuffer binary;

	private final boolean last;

	/**
	 * The parsed text (or what parsing threw), shared by every reader of this message.
	 */
	private @Nullable Object parsed;

	/** Whether a pending request took this message as its reply: no listener sees it. */
	boolean consumed;

	/** Where {@link #binary} goes back once the listeners are done, if pooled. */
	private @Nullable BufferPool pool;

	private WsMessage(@Nullable String text, @Nullable ByteBuffer binary, boolean last) {
		this.text = text;
		this.binary = binary;
		this.last = last;
	}

	/**
	 * A whole binary message in a buffer of a pool, valid until {@link #release()}.
	 * @param data the bytes, in a buffer from {@code pool}
	 * @param pool the pool
	 * @return the message
	 */
	static WsMessage pooledBinary(ByteBuffer data, BufferPool pool) {
		WsMessage message = new WsMessage(null, data, true);
		message.pool = pool;
		return message;
	}

	/**
	 * Give a pooled buffer back; called once every listener of the message returned.
	 */
	void release() {
		BufferPool pool = this.pool;
		if (pool != null) {
			this.pool = null;
			pool.release(this.binary);
		}
	}

	/**
	 * A text message (or fragment).
	 * @param text the text
	 * @param last whether this ends the message
	 * @return the message
	 */
	public static WsMessage text(String text, boolean last) {
		Assert.notNull(text, "'text' must not be null");
		return new WsMessage(text, null, last);
	}

	/**
	 * A binary message (or fragment).
	 * @param data the bytes
	 * @param last whether this ends the message
	 * @return the message
	 */
	public static WsMessage binary(ByteBuffer data, boolean last) {
		Assert.notNull(data, "'data' must not be null");
		return new WsMessage(null, data, last);
	}

	/**
	 * Whether this is a text message.
	 * @return {@code true} for text, {@code false} for binary
	 */
	public boolean isText() {
		return this.text != null;
	}

	/**
	 * Whether this ends the message: always {@code true} except for fragments delivered
	 * to partial listeners.
	 * @return whether this is the last part
	 */
	public boolean isLast() {
		return this.last;
	}

	/**
	 * The text of a text message.
	 * @return the text
	 * @throws IllegalStateException for a binary message
	 */
	public String text() {
		Assert.state(this.text != null, "Not a text message");
		return this.text;
	}

	/**
	 * The bytes of a binary message, as a read-only view.
	 * @return the bytes
	 * @throws IllegalStateException for a text message
	 */
	public ByteBuffer binary() {
		Assert.state(this.binary != null, "Not a binary message");
		return this.binary.asReadOnlyBuffer();
	}

	/**
	 * The payload as bytes: UTF-8 for text.
	 * @return a new array with the payload
	 */
	public byte[] toBytes() {
		if (this.text != null) {
			return this.text.getBytes(StandardCharsets.UTF_8);
		}
		ByteBuffer copy = binary();
		byte[] bytes = new byte[copy.remaining()];
		copy.get(bytes);
		return bytes;
	}

	/**
	 * The text of this message as parsed by {@code parser}: parsed at the first call, and
	 * the same result (or the same exception) from then on. The starter's JSON routing
	 * and its request/response matching share one parse per message this way, however
	 * many listeners read it; infrastructure, applications rarely need it.
	 * @param parser parses the text (every caller of one message must use the same kind
	 * of parser)
	 * @return the parsed text
	 * @throws IllegalStateException for a binary message
	 * @throws RuntimeException what the parser threw
	 */
	public Object parsed(Function<String, ?> parser) {
		Object parsed = this.parsed;
		if (parsed == null) {
			try {
				parsed = parser.apply(text());
			}
			catch (RuntimeException ex) {
				parsed = new ParseFailure(ex);
			}
			this.parsed = parsed;
		}
		if (parsed instanceof ParseFailure failure) {
			throw failure.cause;
		}
		return parsed;
	}

	/**
	 * Whether {@link #parsed(Function)} has already parsed this message.
	 * @return whether a parse result is cached
	 */
	public boolean isParsed() {
		return this.parsed != null;
	}

	@Override
	public String toString() {
		return isText() ? "WsMessage[text, " + this.text.length() + " chars]"
				: "WsMessage[binary, " + this.binary.remaining() + " bytes]";
	}

	/** A parse that failed, kept so that the text is not parsed again. */
	private record ParseFailure(RuntimeException cause) {
	}

}
