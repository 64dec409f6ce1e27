package dev.wsboot.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * All clients of the application, by name: the configured {@link WsClient} beans (shards
 * included) and the clients created at run time with {@link #create(String, Consumer)}.
 * The one place that knows every client; thread-safe.
 * <p>
 * Created clients are not beans; this registry runs them: a client created while the
 * application context is running connects at once (unless
 * {@link WsClientSpec#autoStartup} is {@code false}), one created before it starts
 * connects with the configured clients, and all of them close with 1001 when the context
 * closes.
 */
public final class WsClients implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WsClients.class);

	private final Object lock = new Object();

	/** Every client in configuration, then creation, order; guarded by {@link #lock}. */
	private final Map<String, WsClient> ordered = new LinkedHashMap<>();

	/** The same clients, for lookups without the lock. */
	private final Map<String, WsClient> byName = new ConcurrentHashMap<>();

	/** The created clients (the ones this registry runs and may remove). */
	private final Map<String, ManagedWsClient> created = new ConcurrentHashMap<>();

	private final List<WsClientRegistrationListener> registrationListeners = new CopyOnWriteArrayList<>();

	private final @Nullable WsClientFactory factory;

	private volatile boolean running;

	/**
	 * Create a registry of the given clients; {@link #create} is not supported.
	 * @param clients the clients
	 */
	public WsClients(Collection<? extends WsClient> clients) {
		this(clients, null);
	}

	/**
	 * Create a registry of the given clients that creates more with the given factory.
	 * @param clients the configured clients
	 * @param factory creates clients at run time, {@code null} for none
	 */
	public WsClients(Collection<? extends WsClient> clients, @Nullable WsClientFactory factory) {
		Assert.notNull(clients, "'clients' must not be null");
		clients.forEach((client) -> {
			this.ordered.put(client.name(), client);
			this.byName.put(client.name(), client);
		});
		this.factory = factory;
	}

	/**
	 * Create a client at run time: a full client (listeners, including name patterns such
	 * as {@code @WsListener("tenant-*")}, events, health, metrics, the {@code wsclients}
	 * endpoint, send queue, reconnect) that connects at once when the application is
	 * running.
	 * @param name the client's name (health name, metric tag); must not be in use
	 * @param spec sets the template and the keys of the client
	 * @return the new client
	 * @throws IllegalArgumentException when the name is in use, the template unknown, or
	 * a setting missing or invalid (the message names it and the fix)
	 */
	public WsClient create(String name, Consumer<WsClientSpec> spec) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(spec, "'spec' must not be null");
		if (name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("Cannot create client '" + name + "': the name is a health path segment"
					+ " and a metric tag, so it must not contain '/' or whitespace; use e.g. 'tenant-42'");
		}
		WsClientFactory factory = this.factory;
		if (factory == null) {
			throw new IllegalStateException("This WsClients cannot create clients (it was created without a factory)");
		}
		WsClientSpec clientSpec = new WsClientSpec();
		spec.accept(clientSpec);
		ManagedWsClient client;
		synchronized (this.lock) {
			WsClient existing = this.byName.get(name);
			if (existing != null) {
				throw new IllegalArgumentException("Cannot create client '" + name + "': the name is in use by a "
						+ (this.created.containsKey(name) ? "created" : "configured") + " client; choose another name"
						+ (this.created.containsKey(name) ? " or remove('" + name + "') first" : ""));
			}
			client = factory.createClient(name, clientSpec);
			this.ordered.put(name, client);
			this.byName.put(name, client);
			this.created.put(name, client);
			// under the lock: a name removed and created again is announced in that order
			this.registrationListeners.forEach((listener) -> listener.clientAdded(client));
		}
		if (this.running && client.isAutoStartup()) {
			client.connect();
		}
		return client;
	}

	/**
	 * Remove a client created with {@link #create}: it closes with 1000 and stops
	 * reconnecting, and its health child, meters and endpoint entry go at once. Its name
	 * may be used again right away.
	 * @param name the client's name
	 * @return completes when the client is closed
	 * @throws IllegalArgumentException when there is no such client, or it is configured
	 * (not created)
	 */
	public CompletableFuture<Void> remove(String name) {
		ManagedWsClient client;
		synchronized (this.lock) {
			client = this.created.remove(name);
			if (client == null) {
				if (this.byName.containsKey(name)) {
					throw new IllegalArgumentException("Cannot remove client '" + name
							+ "': it is configured under ws.clients, not created; disable it with ws.clients." + name
							+ ".enabled=false or close() it instead");
				}
				throw new IllegalArgumentException("Cannot remove client '" + name + "': there is no such client");
			}
			this.ordered.remove(name);
			this.byName.remove(name);
			this.registrationListeners.forEach((listener) -> listener.clientRemoved(client));
		}
		return client.close(1000, "Removed");
	}

	/**
	 * Be told when clients are created or removed.
	 * @param listener the listener
	 */
	public void addRegistrationListener(WsClientRegistrationListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.registrationListeners.add(listener);
	}

	/**
	 * Stop being told about created and removed clients.
	 * @param listener the listener
	 */
	public void removeRegistrationListener(WsClientRegistrationListener listener) {
		this.registrationListeners.remove(listener);
	}

	/**
	 * The client of the given name.
	 * @param name the client's name
	 * @return the client, empty when there is none
	 */
	public Optional<WsClient> find(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	/**
	 * The client of the given name.
	 * @param name the client's name
	 * @return the client
	 * @throws IllegalArgumentException when there is no such client
	 */
	public WsClient get(String name) {
		WsClient client = this.byName.get(name);
		if (client == null) {
			throw new IllegalArgumentException("No WebSocket client named '" + name + "'; clients: " + names());
		}
		return client;
	}

	/**
	 * The names of all clients.
	 * @return the names, configured clients first, in configuration then creation order
	 */
	public Set<String> names() {
		synchronized (this.lock) {
			return new LinkedHashSet<>(this.ordered.keySet());
		}
	}

	/**
	 * All clients.
	 * @return the clients, configured clients first, in configuration then creation order
	 */
	public List<WsClient> all() {
		synchronized (this.lock) {
			return List.copyOf(this.ordered.values());
		}
	}

	/**
	 * The shards of a sharded client ({@code ws.clients.<name>.shards} greater than 1),
	 * in index order; for any other client, the client itself.
	 * @param name the name of the sharded client (or of any client)
	 * @return the clients of the group, empty when there is no such client
	 */
	public List<WsClient> group(String name) {
		List<WsClient> shards = new ArrayList<>();
		for (WsClient client : all()) {
			Optional<WsShard> shard = client.shard();
			if (shard.isPresent() && shard.get().group().equals(name)) {
				shards.add(client);
			}
		}
		if (shards.isEmpty()) {
			return find(name).map(List::of).orElse(List.of());
		}
		shards.sort(Comparator.comparingInt((client) -> client.shard().orElseThrow().index()));
		return List.copyOf(shards);
	}

	/**
	 * A point-in-time view of a managed client (state, counters, masked URL).
	 * @param name the client's name
	 * @return the snapshot, empty for unknown names and clients not managed by this
	 * starter
	 */
	public Optional<WsClientSnapshot> snapshot(String name) {
		WsClient client = this.byName.get(name);
		return (client != null) ? client.snapshot() : Optional.empty();
	}

	// SmartLifecycle: runs the created clients (configured ones are beans with their own)

	@Override
	public void start() {
		this.running = true;
		for (ManagedWsClient client : this.created.values()) {
			if (client.isAutoStartup()) {
				client.connect();
			}
		}
	}

	@Override
	public void stop() {
		closeCreated().join();
	}

	@Override
	public void stop(Runnable callback) {
		// asynchronous: the configured clients of the same phase close at the same time
		closeCreated().whenComplete((result, failure) -> callback.run());
	}

	private CompletableFuture<Void> closeCreated() {
		this.running = false;
		List<CompletableFuture<Void>> closing = new ArrayList<>();
		for (ManagedWsClient client : this.created.values()) {
			closing.add(client.close(1001, "Going away"));
		}
		return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).exceptionally((failure) -> {
			logger.debug("Closing the created clients failed", failure);
			return null;
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ManagedWsClient.PHASE;
	}

	/**
	 * Have the durations a managed client measures (ping round trips, heartbeat
	 * acknowledgements, requests by outcome) reported as they are measured: how the
	 * metrics binder records its timers. A client has one recorder; a new one replaces
	 * it, {@code null} removes it.
	 * @param client the client
	 * @param recorder called on the client's threads and must return quickly, or
	 * {@code null}
	 * @return whether the client is managed by this starter (others measure nothing)
	 */
	public boolean timingRecorder(WsClient client, @Nullable WsTimingRecorder recorder) {
		if (!(client instanceof ManagedWsClient managed)) {
			return false;
		}
		managed.timingRecorder(recorder);
		return true;
	}

}
