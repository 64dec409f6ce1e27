package dev.wsboot.client;

import java.util.List;

/**
 * Looks up the {@link WsMessageListener}s of a client. The auto-configuration provides one
 * backed by the {@code @WsListener} registry.
 */
@FunctionalInterface
public interface WsMessageListeners {

	/**
	 * The listeners for a client, in invocation order.
	 * @param clientName the client's name
	 * @return the listeners, possibly empty
	 */
	List<WsMessageListener> forClient(String clientName);

}
