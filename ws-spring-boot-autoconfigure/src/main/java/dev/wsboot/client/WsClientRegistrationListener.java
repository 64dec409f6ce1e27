package dev.wsboot.client;

/**
 * Told when {@link WsClients} gains or loses a client at run time
 * ({@link WsClients#create(String, java.util.function.Consumer)},
 * {@link WsClients#remove(String)}); metrics use it to register and remove a client's
 * meters. Called on the thread that creates or removes the client; must not block.
 */
public interface WsClientRegistrationListener {

	/**
	 * A client was added (before it connects).
	 * @param client the client
	 */
	default void clientAdded(WsClient client) {
	}

	/**
	 * A client was removed (it is closing; its name may be used again).
	 * @param client the client
	 */
	default void clientRemoved(WsClient client) {
	}

}
