package dev.wsboot.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsMessageListener;
import dev.wsboot.client.WsMessageListeners;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.validation.Validator;

/**
 * The {@link WsListenerEndpoint}s of the application, each adapted to a
 * {@link WsMessageListener}: the {@link WsMessageListeners} the clients get their
 * listeners from.
 * <p>
 * A method that cannot be a listener fails when it is registered; a listener naming a
 * client that is not configured fails once all singletons are instantiated (or at
 * registration, for beans created later). Both throw a
 * {@link WsListenerConfigurationException}.
 */
public final class WsListenerEndpointRegistry implements WsMessageListeners, SmartInitializingSingleton {

	private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
			WsListenerEndpointRegistry.class.getClassLoader());

	private final DefaultMessageHandlerMethodFactory handlerMethodFactory;

	/** For partial listeners, whose unannotated boolean parameter is the last flag. */
	private final DefaultMessageHandlerMethodFactory partialHandlerMethodFactory;

	private final WsListenerCollaborators collaborators;

	private final Supplier<Set<String>> clientNames;

	private final List<WsListenerAdapter> adapters = new CopyOnWriteArrayList<>();

	private final @Nullable Function<String, ?> parser;

	private volatile boolean initialized;

	/**
	 * Create a new registry.
	 * @param messageConverter converts payloads to parameter types other than
	 * {@code String}, {@code byte[]}, {@code ByteBuffer} and {@code WsMessage}; a
	 * {@link org.springframework.messaging.converter.SmartMessageConverter} gets the
	 * method parameter as conversion hint (for generic types)
	 * @param errorHandler the error handler, if any
	 * @param observationRegistry the observation registry, if any
	 * @param observationConvention a convention replacing
	 * {@link DefaultWsListenerObservationConvention}, if any
	 * @param clientNames the names of the configured clients, to check the listeners
	 * against
	 */
	public WsListenerEndpointRegistry(MessageConverter messageConverter,
			ObjectProvider<WsListenerErrorHandler> errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WsListenerObservationConvention> observationConvention, Supplier<Set<String>> clientNames) {
		this(messageConverter, null, errorHandler, observationRegistry, observationConvention, clientNames);
	}

	/**
	 * Create a new registry that validates {@code @Valid} payloads.
	 * @param messageConverter converts payloads to parameter types other than
	 * {@code String}, {@code byte[]}, {@code ByteBuffer} and {@code WsMessage}; a
	 * {@link org.springframework.messaging.converter.SmartMessageConverter} gets the
	 * method parameter as conversion hint (for generic types)
	 * @param validator validates payload parameters annotated with {@code @Valid} or
	 * {@code @Validated}, if any
	 * @param errorHandler the error handler, if any
	 * @param observationRegistry the observation registry, if any
	 * @param observationConvention a convention replacing
	 * {@link DefaultWsListenerObservationConvention}, if any
	 * @param clientNames the names of the configured clients, to check the listeners
	 * against
	 */
	public WsListenerEndpointRegistry(MessageConverter messageConverter, @Nullable Validator validator,
			ObjectProvider<WsListenerErrorHandler> errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WsListenerObservationConvention> observationConvention, Supplier<Set<String>> clientNames) {
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		Assert.notNull(errorHandler, "'errorHandler' must not be null");
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		Assert.notNull(observationConvention, "'observationConvention' must not be null");
		Assert.notNull(clientNames, "'clientNames' must not be null");
		this.handlerMethodFactory = handlerMethodFactory(messageConverter, validator, false);
		this.partialHandlerMethodFactory = handlerMethodFactory(messageConverter, validator, true);
		this.collaborators = new WsListenerCollaborators(errorHandler, observationRegistry, observationConvention);
		this.clientNames = clientNames;
		this.parser = JACKSON_PRESENT ? JsonTrees.parser(messageConverter) : null;
	}

	private static DefaultMessageHandlerMethodFactory handlerMethodFactory(MessageConverter messageConverter,
			@Nullable Validator validator, boolean partial) {
		DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
		factory.setMessageConverter(messageConverter);
		factory.setCustomArgumentResolvers(WsListenerArgumentResolvers.create(messageConverter, partial));
		if (validator != null) {
			factory.setValidator(validator);
		}
		factory.afterPropertiesSet();
		return factory;
	}

	/**
	 * Register a listener method.
	 * @param endpoint the endpoint
	 * @throws WsListenerConfigurationException when the method cannot be a listener, or
	 * (after start-up) names a client that is not configured
	 */
	public void registerEndpoint(WsListenerEndpoint endpoint) {
		Assert.notNull(endpoint, "'endpoint' must not be null");
		registerEndpoint(endpoint, WsListenerSignature.of(endpoint));
	}

	/** Register a listener method whose signature is already checked. */
	void registerEndpoint(WsListenerEndpoint endpoint, WsListenerSignature signature) {
		if (this.initialized) {
			checkClients(endpoint, this.clientNames.get());
		}
		DefaultMessageHandlerMethodFactory factory = endpoint.partial() ? this.partialHandlerMethodFactory
				: this.handlerMethodFactory;
		InvocableHandlerMethod handlerMethod = factory.createInvocableHandlerMethod(endpoint.bean(), endpoint.method());
		this.adapters.add(new WsListenerAdapter(endpoint, signature, handlerMethod, this.collaborators, this.parser));
	}

	/**
	 * The registered endpoints, in registration order.
	 * @return the endpoints
	 */
	public List<WsListenerEndpoint> getEndpoints() {
		List<WsListenerEndpoint> endpoints = new ArrayList<>(this.adapters.size());
		for (WsListenerAdapter adapter : this.adapters) {
			endpoints.add(adapter.endpoint());
		}
		return List.copyOf(endpoints);
	}

	/**
	 * The listeners of a client, in registration order: those naming the client, those
	 * whose name pattern ({@code tenant-*}) matches it, and those naming no client. Not
	 * cached here (each client keeps its own list), so clients created and removed at run
	 * time leave nothing behind.
	 * @param clientName the client's name
	 * @return the listeners, possibly empty
	 */
	@Override
	public List<WsMessageListener> forClient(String clientName) {
		return forClient(clientName, null);
	}

	/**
	 * The listeners of a client that may be a shard; when more than one of them reads
	 * JSON, those converting a whole message read the message's shared parse, so that a
	 * text message is parsed once.
	 */
	@Override
	public List<WsMessageListener> forClient(String clientName, @Nullable String group) {
		List<WsListenerAdapter> adapters = new ArrayList<>();
		int jsonReaders = 0;
		for (WsListenerAdapter adapter : this.adapters) {
			if (adapter.endpoint().listensTo(clientName, group)) {
				adapters.add(adapter);
				jsonReaders += adapter.readsJson() ? 1 : 0;
			}
		}
		List<WsMessageListener> listeners = new ArrayList<>(adapters.size());
		for (WsListenerAdapter adapter : adapters) {
			listeners.add((jsonReaders > 1 && adapter.readsJson()) ? adapter.sharingParse() : adapter);
		}
		return List.copyOf(listeners);
	}

	@Override
	public @Nullable Function<String, ?> jsonParser() {
		return this.parser;
	}

	/**
	 * Check that every listener names configured clients only, and look up the optional
	 * collaborators (error handler, observation registry and convention).
	 * @throws WsListenerConfigurationException for a listener naming an unknown client
	 */
	@Override
	public void afterSingletonsInstantiated() {
		Set<String> known = this.clientNames.get();
		for (WsListenerAdapter adapter : this.adapters) {
			checkClients(adapter.endpoint(), known);
		}
		this.collaborators.get();
		this.initialized = true;
	}

	private static void checkClients(WsListenerEndpoint endpoint, Set<String> known) {
		for (String clientName : endpoint.clientNames()) {
			// a pattern (tenant-*) may match clients created later: nothing to check
			if (!WsListenerEndpoint.isPattern(clientName) && !known.contains(clientName)) {
				throw new WsListenerConfigurationException(endpoint.beanName(), endpoint.method(),
						"names client '" + clientName + "', which is not configured (configured clients: "
								+ new TreeSet<>(known) + ")",
						"Add ws.clients." + clientName + ".url or correct the name in @WsListener.");
			}
		}
	}

}
