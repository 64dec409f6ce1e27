package dev.wsboot.autoconfigure;

import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

import dev.wsboot.client.WsClient;

/**
 * Registers one {@link WsClient} bean per enabled {@code ws.clients.<name>}, named after
 * the client, unless the application already defines a bean of that name.
 */
final class WsClientBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	static final String FACTORY_BEAN_NAME = "wsClientFactory";

	private Environment environment;

	/** The names under {@code ws.clients}, enabled or not. */
	static Set<String> configuredClients(Environment environment) {
		return Binder.get(environment)
			.bind("ws.clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of())
			.keySet();
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Binder binder = Binder.get(this.environment);
		boolean enabledByDefault = binder.bind("ws.defaults.enabled", Boolean.class).orElse(true);
		for (String name : configuredClients(this.environment)) {
			boolean enabled = binder.bind("ws.clients." + name + ".enabled", Boolean.class).orElse(enabledByDefault);
			if (enabled && !registry.containsBeanDefinition(name)) {
				RootBeanDefinition definition = new RootBeanDefinition();
				definition.setFactoryBeanName(FACTORY_BEAN_NAME);
				definition.setFactoryMethodName("createClient");
				definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
				definition.setTargetType(WsClient.class);
				registry.registerBeanDefinition(name, definition);
			}
		}
	}

}
