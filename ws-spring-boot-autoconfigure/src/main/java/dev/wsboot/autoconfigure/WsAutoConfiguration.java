package dev.wsboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.validation.Validator;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientFactory;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsHandshakeCustomizer;
import dev.wsboot.client.WsReconnectPolicy;
import dev.wsboot.listener.WsJsonMessageConverter;
import dev.wsboot.listener.WsListenerAnnotationBeanPostProcessor;
import dev.wsboot.listener.WsListenerEndpointRegistry;
import dev.wsboot.listener.WsListenerErrorHandler;
import dev.wsboot.listener.WsListenerObservationConvention;
import dev.wsboot.transport.WsTransport;
import dev.wsboot.transport.jdk.JdkWsTransport;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

/**
 * Auto-configuration of managed WebSocket clients: one {@link WsClient} bean per
 * {@code ws.clients.<name>}, the {@link WsClients} registry and {@code @WsListener}
 * support.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(WsProperties.class)
@Import(WsClientBeanRegistrar.class)
public final class WsAutoConfiguration {

	/** Name of the converter used for JSON payloads, inbound and outbound. */
	public static final String MESSAGE_CONVERTER_BEAN_NAME = "wsMessageConverter";

	private static final Duration MAX_LISTENER_SPIN = Duration.ofMillis(10);

	WsAutoConfiguration() {
	}

	@Bean(destroyMethod = "close")
	WsClientThreads wsClientThreads(Environment environment) {
		return new WsClientThreads(Threading.VIRTUAL.isActive(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	static WsListenerAnnotationBeanPostProcessor wsListenerAnnotationBeanPostProcessor(
			ObjectProvider<WsListenerEndpointRegistry> registry) {
		return new WsListenerAnnotationBeanPostProcessor(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	WsListenerEndpointRegistry wsListenerEndpointRegistry(Environment environment,
			@Qualifier(MESSAGE_CONVERTER_BEAN_NAME) MessageConverter messageConverter,
			ObjectProvider<WsListenerErrorHandler> errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WsListenerObservationConvention> observationConvention, ObjectProvider<WsClients> clients,
			ObjectProvider<Validator> validator) {
		Supplier<Set<String>> clientNames = () -> {
			// configured clients, also disabled ones (their listeners are valid, just
			// idle)
			Set<String> names = new LinkedHashSet<>(WsClientBeanRegistrar.configuredClients(environment));
			names.addAll(clients.getObject().names());
			return names;
		};
		return new WsListenerEndpointRegistry(messageConverter, validator.getIfUnique(), errorHandler,
				observationRegistry, observationConvention, clientNames);
	}

	@Bean(WsClientBeanRegistrar.FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = WsClientBeanRegistrar.FACTORY_BEAN_NAME)
	WsClientFactory wsClientFactory(Environment environment, WsProperties properties,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<TyrusWsTransport> tyrus,
			ObjectProvider<JdkWsTransport> jdk, WsClientThreads threads, ApplicationEventPublisher publisher,
			@Qualifier(MESSAGE_CONVERTER_BEAN_NAME) MessageConverter messageConverter,
			WsListenerEndpointRegistry listeners, ObjectProvider<WsHandshakeCustomizer> handshakeCustomizers,
			ObjectProvider<WsReconnectPolicy> reconnectPolicy, ObjectProvider<WsClients> clients) {
		// the jdk transport (a lazy bean) is created by the first client that uses it
		Map<String, Supplier<WsTransport>> transports = new LinkedHashMap<>();
		tyrus.ifAvailable((transport) -> transports.put("tyrus", () -> transport));
		transports.put("jdk", jdk::getObject);
		WsClientSettingsResolver settings = new WsClientSettingsResolver(Binder.get(environment), transports.keySet(),
				new SslBundleReloads(sslBundles, (name) -> clients.getObject().find(name)));
		WsClientFactory factory = new WsClientFactory(settings::resolve, (name) -> transports.get(name).get(),
				threads.scheduler(), threads.listenerExecutor(), publisher, messageConverter, listeners,
				shutdownTimeout(properties));
		factory.setSettingsSource(settings);
		factory.setListenerSpin(listenerSpin(properties));
		factory.setHandshakeCustomizers(handshakeCustomizers.orderedStream().toList());
		reconnectPolicy.ifAvailable(factory::setReconnectPolicy);
		return factory;
	}

	@Bean(destroyMethod = "close")
	@Lazy
	@ConditionalOnMissingBean
	JdkWsTransport jdkWsTransport() {
		return new JdkWsTransport();
	}

	@Bean
	@ConditionalOnMissingBean
	WsClients wsClients(ObjectProvider<WsClient> clients,
			@Qualifier(WsClientBeanRegistrar.FACTORY_BEAN_NAME) ObjectProvider<WsClientFactory> factory) {
		return new WsClients(clients.orderedStream().toList(), factory.getIfAvailable());
	}

	/**
	 * The converter for JSON payloads (when Jackson is there), text and bytes.
	 */
	private static MessageConverter messageConverter(List<MessageConverter> first) {
		List<MessageConverter> converters = new ArrayList<>(first);
		converters.add(new StringMessageConverter());
		converters.add(new ByteArrayMessageConverter());
		return new CompositeMessageConverter(converters);
	}

	/**
	 * {@code ws.listener-spin}, checked: a negative spin or one over 10 ms fails start-up
	 * naming the key.
	 */
	private static Duration listenerSpin(WsProperties properties) {
		Duration spin = properties.getListenerSpin();
		if (spin == null || spin.isNegative() || spin.compareTo(MAX_LISTENER_SPIN) > 0) {
			throw new InvalidWsConfigurationException("ws.listener-spin",
					"is " + spin + ", not between 0 and " + MAX_LISTENER_SPIN.toMillis() + "ms",
					"Set ws.listener-spin to how long a listener thread waits for a client's next message before it"
							+ " returns to the pool, e.g. 200us for request/response traffic (0, the default, for none).");
		}
		return spin;
	}

	/**
	 * {@code ws.shutdown-timeout}, checked: a negative one fails start-up naming the key.
	 */
	private static Duration shutdownTimeout(WsProperties properties) {
		Duration timeout = properties.getShutdownTimeout();
		if (timeout == null || timeout.isNegative()) {
			throw new InvalidWsConfigurationException("ws.shutdown-timeout", "is " + timeout + ", a negative duration",
					"Set ws.shutdown-timeout to how long context close waits for each client's closing handshake,"
							+ " e.g. 5s (0 drops connections without waiting).");
		}
		return timeout;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.glassfish.tyrus.client.ClientManager")
	static class TyrusTransportConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		TyrusWsTransport tyrusWsTransport() {
			return new TyrusWsTransport();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonMessageConverterConfiguration {

		@Bean(MESSAGE_CONVERTER_BEAN_NAME)
		@ConditionalOnMissingBean(name = MESSAGE_CONVERTER_BEAN_NAME)
		MessageConverter wsMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
			JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
			return messageConverter(List.of(new WsJsonMessageConverter(mapper)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("tools.jackson.databind.json.JsonMapper")
	static class PlainMessageConverterConfiguration {

		@Bean(MESSAGE_CONVERTER_BEAN_NAME)
		@ConditionalOnMissingBean(name = MESSAGE_CONVERTER_BEAN_NAME)
		MessageConverter wsMessageConverter() {
			return messageConverter(List.of());
		}

	}

}
