package dev.wsboot.listener;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;
import dev.wsboot.client.WsMessageListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * A real application context with the listener infrastructure wired as the
 * auto-configuration wires it, configured clients {@code ticker} and {@code orders}, and
 * the given listener beans.
 */
final class ListenerTestContext implements AutoCloseable {

	static final Set<String> CLIENTS = Set.of("ticker", "orders");

	private final AnnotationConfigApplicationContext context;

	private ListenerTestContext(AnnotationConfigApplicationContext context) {
		this.context = context;
	}

	static ListenerTestContext of(Class<?>... beans) {
		return of((context) -> {
		}, beans);
	}

	static ListenerTestContext of(Consumer<AnnotationConfigApplicationContext> customizer, Class<?>... beans) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(ListenerConfiguration.class);
		customizer.accept(context);
		Arrays.stream(beans).forEach(context::register);
		try {
			context.refresh();
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
		return new ListenerTestContext(context);
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	WsListenerEndpointRegistry registry() {
		return bean(WsListenerEndpointRegistry.class);
	}

	List<WsMessageListener> listeners(String clientName) {
		return registry().forClient(clientName);
	}

	/**
	 * Hand a message to every listener of the client, as the client does.
	 * @param client the client
	 * @param message the message
	 */
	void deliver(WsClient client, WsMessage message) {
		for (WsMessageListener listener : listeners(client.name())) {
			listener.onMessage(message, client);
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		static WsListenerAnnotationBeanPostProcessor wsListenerAnnotationBeanPostProcessor(
				ObjectProvider<WsListenerEndpointRegistry> registry) {
			return new WsListenerAnnotationBeanPostProcessor(registry);
		}

		@Bean
		WsListenerEndpointRegistry wsListenerEndpointRegistry(ObjectProvider<WsListenerErrorHandler> errorHandler,
				ObjectProvider<ObservationRegistry> observationRegistry,
				ObjectProvider<WsListenerObservationConvention> observationConvention) {
			CompositeMessageConverter converter = new CompositeMessageConverter(List.of(new StringMessageConverter(),
					new ByteArrayMessageConverter(), new JacksonJsonMessageConverter(JsonMapper.builder().build())));
			return new WsListenerEndpointRegistry(converter, errorHandler, observationRegistry, observationConvention,
					() -> CLIENTS);
		}

	}

}
