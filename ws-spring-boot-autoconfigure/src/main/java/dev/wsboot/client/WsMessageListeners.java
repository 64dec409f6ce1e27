package dev.wsboot.client;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the {@link WsMessageListener}s of a client. The auto-configuration provides
 * one backed by the {@code @WsListener} registry.
 */
@FunctionalInterface
public interface WsMessageListeners {

	/**
	 * The listeners for a client, in invocation order.
	 * @param clientName the client's name
	 * @return the listeners, possibly empty
	 */
	List<WsMessageListener> forClient(String clientName);

	/**
	 * The parser the listeners turn a text message into their shared JSON tree with, so
	 * that request/response matching shares the same parse (see
	 * {@link WsMessage#parsed(Function)}).
	 * @return the parser, {@code null} to let the client use Jackson's default mapper
	 */
	default @Nullable Function<String, ?> jsonParser() {
		return null;
	}

	/**
	 * The listeners for a client that may be a shard: those of the client's name and
	 * those of its group's.
	 * @param clientName the client's name
	 * @param group the sharded client's name when the client is a shard, else
	 * {@code null}
	 * @return the listeners, possibly empty
	 */
	default List<WsMessageListener> forClient(String clientName, @Nullable String group) {
		return forClient(clientName);
	}

}
