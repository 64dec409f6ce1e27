package dev.wsboot.client;

/**
 * Receives the messages of one client, one at a time and in arrival order, never on a
 * transport I/O thread. {@code @WsListener} methods are adapted to this interface; it is
 * also the hook for integrations that register listeners without annotations.
 *
 * @see WsMessageListeners
 */
@FunctionalInterface
public interface WsMessageListener {

	/**
	 * Handle a message (a fragment when {@link #isPartial()}).
	 * @param message the message
	 * @param client the client it arrived on
	 */
	void onMessage(WsMessage message, WsClient client);

	/**
	 * Whether this listener wants fragments as they arrive instead of whole messages.
	 * @return {@code true} for fragments
	 */
	default boolean isPartial() {
		return false;
	}

	/**
	 * Whether this listener may use the message, or a view of its bytes, after
	 * {@link #onMessage} returned. When no listener of a client does, binary messages
	 * reach its listeners in pooled buffers that are reused for later messages once every
	 * listener returned (no allocation per message).
	 * @return {@code true} (the default) when the message may be kept
	 */
	default boolean retainsMessage() {
		return true;
	}

}
