package dev.wsboot.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The message listeners of one managed client, looked up on first use and kept across its
 * connections: its {@link PendingRequests} first (a matched reply is consumed before any
 * listener sees it), then the listeners registered for the client (by name, and by group
 * for a shard).
 */
final class ClientListeners {

	private final Supplier<List<WsMessageListener>> configured;

	private final @Nullable PendingRequests requests;

	private @Nullable List<WsMessageListener> listeners;

	/**
	 * Create the listeners of a client.
	 * @param configured looks up the listeners registered for the client
	 * @param requests the client's pending requests, or {@code null}
	 */
	ClientListeners(Supplier<List<WsMessageListener>> configured, @Nullable PendingRequests requests) {
		this.configured = configured;
		this.requests = requests;
	}

	/** The listeners, in the order they see a message. */
	List<WsMessageListener> get() {
		List<WsMessageListener> listeners = this.listeners;
		if (listeners == null) {
			List<WsMessageListener> configured = this.configured.get();
			if (this.requests != null) {
				// replies first: a matched reply is consumed before any listener sees it
				List<WsMessageListener> withReplies = new ArrayList<>(configured.size() + 1);
				withReplies.add(this.requests);
				withReplies.addAll(configured);
				configured = withReplies;
			}
			listeners = List.copyOf(configured);
			this.listeners = listeners;
		}
		return listeners;
	}

}
