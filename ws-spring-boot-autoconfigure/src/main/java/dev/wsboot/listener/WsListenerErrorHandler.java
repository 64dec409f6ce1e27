package dev.wsboot.listener;

/**
 * Called when a {@link dev.wsboot.annotation.WsListener @WsListener} method throws, or
 * when a message cannot be converted to its payload parameter. The failure has already
 * been logged; the connection stays open unless the handler closes it (for example with
 * {@code failure.client().close(1011, "...")}). An exception thrown by the handler is
 * logged and ignored.
 * <p>
 * Declare one bean of this type to use it.
 */
@FunctionalInterface
public interface WsListenerErrorHandler {

	/**
	 * Handle a listener failure.
	 * @param failure what failed, where, and why
	 */
	void handleError(WsListenerFailure failure);

}
