package dev.wsboot.transport.tyrus;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.websocket.Extension;
import org.jspecify.annotations.Nullable;

/**
 * What a server selected in its permessage-deflate response (RFC 7692 §7.1), checked as
 * strictly as the RFC asks of a client: an unknown or repeated parameter, a
 * {@code *_no_context_takeover} with a value, or a window size that is missing or outside
 * 8–15 fails the handshake.
 *
 * @param serverNoContextTakeover whether the server resets its compressor after each
 * message
 * @param clientNoContextTakeover whether the client must reset its compressor after each
 * message
 * @param serverMaxWindowBits the server's LZ77 window (8–15, 15 when not given)
 * @param clientMaxWindowBits the largest window the client may compress with (8–15, 15
 * when not given)
 */
record PerMessageDeflateResponse(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
		int serverMaxWindowBits, int clientMaxWindowBits) {

	static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";

	static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";

	static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";

	static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

	/**
	 * The largest window, the only one {@code java.util.zip.Deflater} compresses with.
	 */
	static final int MAX_WINDOW_BITS = 15;

	private static final int MIN_WINDOW_BITS = 8;

	/** Nothing negotiated beyond the extension itself. */
	static final PerMessageDeflateResponse DEFAULT = new PerMessageDeflateResponse(false, false, MAX_WINDOW_BITS,
			MAX_WINDOW_BITS);

	/**
	 * Whether the client may compress what it sends: only with a window of 15 bits, since
	 * the JDK's deflater cannot use a smaller one (RFC 7692 lets a sender leave any
	 * message uncompressed).
	 * @return whether outbound messages are compressed
	 */
	boolean compressesOutbound() {
		return this.clientMaxWindowBits == MAX_WINDOW_BITS;
	}

	/**
	 * Parse the parameters of a server's permessage-deflate response to an offer of
	 * {@code permessage-deflate; client_max_window_bits}.
	 * @param parameters the response's parameters
	 * @return what was negotiated
	 * @throws IllegalArgumentException describing the first invalid parameter
	 */
	static PerMessageDeflateResponse parse(List<Extension.Parameter> parameters) {
		boolean serverNoContextTakeover = false;
		boolean clientNoContextTakeover = false;
		int serverMaxWindowBits = MAX_WINDOW_BITS;
		int clientMaxWindowBits = MAX_WINDOW_BITS;
		Set<String> seen = new HashSet<>();
		for (Extension.Parameter parameter : parameters) {
			String name = (parameter.getName() != null) ? parameter.getName().trim().toLowerCase(Locale.ROOT) : "";
			String value = unquote(parameter.getValue());
			if (!seen.add(name)) {
				throw new IllegalArgumentException("the parameter '" + name + "' more than once");
			}
			switch (name) {
				case SERVER_NO_CONTEXT_TAKEOVER -> {
					requireNoValue(name, value);
					serverNoContextTakeover = true;
				}
				case CLIENT_NO_CONTEXT_TAKEOVER -> {
					requireNoValue(name, value);
					clientNoContextTakeover = true;
				}
				case SERVER_MAX_WINDOW_BITS -> serverMaxWindowBits = windowBits(name, value);
				case CLIENT_MAX_WINDOW_BITS -> clientMaxWindowBits = windowBits(name, value);
				default -> throw new IllegalArgumentException("an unknown parameter '" + name + "'");
			}
		}
		return new PerMessageDeflateResponse(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits,
				clientMaxWindowBits);
	}

	private static void requireNoValue(String name, @Nullable String value) {
		if (value != null) {
			throw new IllegalArgumentException("'" + name + "=" + value + "', a parameter that takes no value");
		}
	}

	private static int windowBits(String name, @Nullable String value) {
		if (value == null) {
			throw new IllegalArgumentException("'" + name + "' without a value (8 to 15 required)");
		}
		int bits = value.matches("[0-9]{1,2}") ? Integer.parseInt(value) : -1;
		if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
			throw new IllegalArgumentException("'" + name + "=" + value + "' (8 to 15 required)");
		}
		return bits;
	}

	private static @Nullable String unquote(@Nullable String value) {
		if (value == null) {
			return null;
		}
		String trimmed = value.trim();
		if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
			return trimmed.substring(1, trimmed.length() - 1);
		}
		return trimmed;
	}

}
