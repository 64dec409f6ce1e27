package dev.wsboot.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * All {@link WsClient} beans of the application, by name.
 */
public final class WsClients {

	private final Map<String, WsClient> clients;

	/**
	 * Create a registry of the given clients.
	 * @param clients the clients
	 */
	public WsClients(Collection<? extends WsClient> clients) {
		Assert.notNull(clients, "'clients' must not be null");
		Map<String, WsClient> byName = new LinkedHashMap<>();
		clients.forEach((client) -> byName.put(client.name(), client));
		this.clients = byName;
	}

	/**
	 * The client of the given name.
	 * @param name the client's name
	 * @return the client, empty when there is none
	 */
	public Optional<WsClient> find(String name) {
		return Optional.ofNullable(this.clients.get(name));
	}

	/**
	 * The client of the given name.
	 * @param name the client's name
	 * @return the client
	 * @throws IllegalArgumentException when there is no such client
	 */
	public WsClient get(String name) {
		WsClient client = this.clients.get(name);
		if (client == null) {
			throw new IllegalArgumentException(
					"No WebSocket client named '" + name + "'; configured clients: " + this.clients.keySet());
		}
		return client;
	}

	/**
	 * The names of all clients.
	 * @return the names, in configuration order
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * All clients.
	 * @return the clients, in configuration order
	 */
	public List<WsClient> all() {
		return List.copyOf(this.clients.values());
	}

	/**
	 * A point-in-time view of a managed client (state, counters, masked URL).
	 * @param name the client's name
	 * @return the snapshot, empty for unknown names and clients not managed by this starter
	 */
	public Optional<WsClientSnapshot> snapshot(String name) {
		return (this.clients.get(name) instanceof ManagedWsClient managed) ? Optional.of(managed.snapshot())
				: Optional.empty();
	}

	/**
	 * Have every ping round trip of a managed client reported as it is measured, in
	 * nanoseconds: how the metrics binder records {@code ws.client.latency} into a
	 * {@code Timer}. A client has one recorder; a new one replaces it, {@code null} removes it.
	 * @param name the client's name
	 * @param recorder receives each round trip on the client's threads and must return
	 * quickly, or {@code null}
	 * @return whether the client exists and is managed by this starter
	 */
	public boolean recordLatency(String name, @Nullable LongConsumer recorder) {
		if (this.clients.get(name) instanceof ManagedWsClient managed) {
			managed.statistics.latencyRecorder(recorder);
			return true;
		}
		return false;
	}

}
