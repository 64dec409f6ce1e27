package dev.wsboot.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;

import dev.wsboot.transport.WsTransport;

/**
 * What every managed client of an application shares: settings lookup, transports, the
 * timer, the listener executor, the event publisher and the JSON converter.
 * Infrastructure for the auto-configuration; applications use {@link WsClient} and
 * {@link WsClients}.
 */
public final class WsClientFactory {

	private final Function<String, WsClientSettings> settings;

	private final Function<String, WsTransport> transports;

	private final ScheduledExecutorService scheduler;

	private final Executor listenerExecutor;

	private final ApplicationEventPublisher publisher;

	private final MessageConverter messageConverter;

	private final WsMessageListeners listeners;

	private final Duration shutdownTimeout;

	private List<WsHandshakeCustomizer> handshakeCustomizers = List.of();

	private Duration listenerSpin = Duration.ZERO;

	private WsReconnectPolicy reconnectPolicy = (client, failure, attempts) -> true;

	private volatile @Nullable WsClientOwnership ownership;

	private @Nullable WsClientSettingsSource settingsSource;

	/**
	 * Create a factory.
	 * @param settings the effective settings of a client, by name (validates them)
	 * @param transports the transport of a given name ({@code tyrus}, {@code jdk})
	 * @param scheduler timer for pings, idle deadlines and reconnect delays (tasks are
	 * short)
	 * @param listenerExecutor runs listeners and events, off transport threads
	 * @param publisher publishes the lifecycle events
	 * @param messageConverter writes {@link WsClient#sendObject(Object)} payloads
	 * @param listeners the message listeners of a client
	 * @param shutdownTimeout how long a close waits for the closing handshake
	 */
	public WsClientFactory(Function<String, WsClientSettings> settings, Function<String, WsTransport> transports,
			ScheduledExecutorService scheduler, Executor listenerExecutor, ApplicationEventPublisher publisher,
			MessageConverter messageConverter, WsMessageListeners listeners, Duration shutdownTimeout) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(transports, "'transports' must not be null");
		Assert.notNull(scheduler, "'scheduler' must not be null");
		Assert.notNull(listenerExecutor, "'listenerExecutor' must not be null");
		Assert.notNull(publisher, "'publisher' must not be null");
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		Assert.notNull(listeners, "'listeners' must not be null");
		Assert.notNull(shutdownTimeout, "'shutdownTimeout' must not be null");
		this.settings = settings;
		this.transports = transports;
		this.scheduler = scheduler;
		this.listenerExecutor = listenerExecutor;
		this.publisher = publisher;
		this.messageConverter = messageConverter;
		this.listeners = listeners;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Set the customizers applied to the headers before every connection attempt.
	 * @param handshakeCustomizers the customizers, in order
	 */
	public void setHandshakeCustomizers(List<WsHandshakeCustomizer> handshakeCustomizers) {
		Assert.notNull(handshakeCustomizers, "'handshakeCustomizers' must not be null");
		this.handshakeCustomizers = List.copyOf(handshakeCustomizers);
	}

	/**
	 * Set how long a listener thread that ran a client's messages waits for that client's
	 * next message, yielding its core, before it returns to the pool
	 * ({@code ws.listener-spin}); applies to clients created afterwards.
	 * @param listenerSpin the spin, {@link Duration#ZERO} for none (the default)
	 */
	public void setListenerSpin(Duration listenerSpin) {
		Assert.notNull(listenerSpin, "'listenerSpin' must not be null");
		Assert.isTrue(!listenerSpin.isNegative(), "'listenerSpin' must not be negative");
		this.listenerSpin = listenerSpin;
	}

	/**
	 * Set the policy that may stop reconnecting after a failed attempt.
	 * @param reconnectPolicy the policy
	 */
	public void setReconnectPolicy(WsReconnectPolicy reconnectPolicy) {
		Assert.notNull(reconnectPolicy, "'reconnectPolicy' must not be null");
		this.reconnectPolicy = reconnectPolicy;
	}

	/**
	 * Set the cluster ownership gate: singletons this replica does not own stay in
	 * STANDBY.
	 * @param ownership the gate
	 */
	public void setOwnership(WsClientOwnership ownership) {
		Assert.notNull(ownership, "'ownership' must not be null");
		this.ownership = ownership;
	}

	/**
	 * Set where created clients and shards get their settings from.
	 * @param settingsSource resolves templates and shards
	 */
	public void setSettingsSource(WsClientSettingsSource settingsSource) {
		Assert.notNull(settingsSource, "'settingsSource' must not be null");
		this.settingsSource = settingsSource;
	}

	/**
	 * Create the managed client of the given name (the auto-configuration registers one
	 * bean per client through this method).
	 * @param name the client's name
	 * @return a new client, not yet started
	 */
	public WsClient createClient(String name) {
		return createClient(this.settings.apply(name), null);
	}

	/**
	 * Create one shard of a sharded client (the auto-configuration registers one bean per
	 * shard through this method).
	 * @param group the sharded client's name ({@code ws.clients.<group>})
	 * @param index the shard's index
	 * @param count the number of shards
	 * @return a new client named {@code <group>-<index>}, not yet started
	 */
	public WsClient createShard(String group, int index, int count) {
		WsShard shard = new WsShard(group, index, count);
		return createClient(settingsSource().shard(shard), shard);
	}

	/** A client created at run time ({@link WsClients#create}). */
	ManagedWsClient createClient(String name, WsClientSpec spec) {
		WsClientSettings settings = settingsSource().created(name, spec);
		Assert.state(settings.name().equals(name), "Settings of another client");
		return createClient(settings, null);
	}

	/**
	 * The effective settings of the client of the given name (the binary allocation
	 * benchmark builds its in-memory client from them).
	 * @param name the client's name
	 * @return its settings (validated)
	 */
	WsClientSettings settings(String name) {
		return this.settings.apply(name);
	}

	private ManagedWsClient createClient(WsClientSettings settings, @Nullable WsShard shard) {
		String name = settings.name();
		String group = (shard != null) ? shard.group() : null;
		// the listeners, customizers, policy and ownership are looked up when used: they
		// may be set after the client was created
		ClientSupport support = new ClientSupport(this.transports.apply(settings.transport()), this.scheduler,
				this.listenerExecutor, this.listenerSpin, this.publisher, this.messageConverter,
				(payload) -> json(name, payload), this.listeners.jsonParser(),
				() -> this.listeners.forClient(name, group), () -> this.handshakeCustomizers,
				() -> this.reconnectPolicy, () -> this.ownership, this.shutdownTimeout);
		return new ManagedWsClient(settings, shard, support);
	}

	private WsClientSettingsSource settingsSource() {
		WsClientSettingsSource source = this.settingsSource;
		if (source == null) {
			throw new IllegalStateException("No WsClientSettingsSource: templates and shards are not available");
		}
		return source;
	}

	/**
	 * The JSON text of a {@link WsClient#sendObject(Object)} payload.
	 * @param clientName the client sending it
	 * @param payload the payload
	 * @return the JSON text
	 * @throws WsSendException when the payload cannot be written as JSON
	 */
	private String json(String clientName, Object payload) {
		try {
			Message<?> message = this.messageConverter.toMessage(payload, null);
			if (message == null) {
				throw new IllegalArgumentException("No converter for " + payload.getClass().getName());
			}
			Object converted = message.getPayload();
			return (converted instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
					: converted.toString();
		}
		catch (RuntimeException ex) {
			throw new WsSendException(clientName, "Client '" + clientName + "': could not write "
					+ payload.getClass().getName() + " as JSON: " + ex.getMessage(), ex);
		}
	}

}
