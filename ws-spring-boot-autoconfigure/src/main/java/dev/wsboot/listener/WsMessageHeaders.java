package dev.wsboot.listener;

/**
 * The names of the headers of the spring-messaging {@code Message} a
 * {@link dev.wsboot.annotation.WsListener @WsListener} method is invoked with, for
 * {@code @Header} parameters: <pre class="code">
 * &#64;WsListener(value = "discord", match = {"/op=0", "/t=MESSAGE_CREATE"}, payload = "/d")
 * void onMessage(MessageCreate message, &#64;Header(WsMessageHeaders.CLIENT) String client,
 *         &#64;Header(WsMessageHeaders.MATCH_PREFIX + "/t") String type) { }
 * </pre> Messages have no id, timestamp or content type header.
 */
public final class WsMessageHeaders {

	/** The name of the client the message arrived on ({@code String}). */
	public static final String CLIENT = "ws_client";

	/**
	 * Prefix of the headers holding, for a listener with {@code match}, the value each
	 * matched pointer had ({@code String}, as compared): header {@code "ws_match:/op"} is
	 * the text of {@code /op}.
	 */
	public static final String MATCH_PREFIX = "ws_match:";

	private WsMessageHeaders() {
	}

}
