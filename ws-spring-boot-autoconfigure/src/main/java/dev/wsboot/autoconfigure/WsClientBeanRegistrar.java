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
 * the client, or with {@code shards} K &gt; 1 one per shard, named {@code <name>-0} to
 * {@code <name>-(K-1)}, unless the application already defines a bean of that name.
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
		int shardsByDefault = binder.bind("ws.defaults.shards", Integer.class).orElse(1);
		Set<String> configured = configuredClients(this.environment);
		for (String name : configured) {
			boolean enabled = binder.bind("ws.clients." + name + ".enabled", Boolean.class).orElse(enabledByDefault);
			int shards = binder.bind("ws.clients." + name + ".shards", Integer.class).orElse(shardsByDefault);
			if (!enabled) {
				continue;
			}
			if (shards <= 1) {
				// 0 or less fails when the client is created, naming the property
				register(registry, name, "createClient", name);
			}
			else {
				for (int index = 0; index < shards; index++) {
					String shard = name + "-" + index;
					if (configured.contains(shard)) {
						throw new InvalidWsConfigurationException("ws.clients." + name + ".shards",
								"is " + shards + ", which makes a client '" + shard + "', but ws.clients." + shard
										+ " is configured too",
								"Rename ws.clients." + shard + " or ws.clients." + name + ", or lower ws.clients."
										+ name + ".shards.");
					}
					register(registry, shard, "createShard", name, index, shards);
				}
			}
		}
	}

	private static void register(BeanDefinitionRegistry registry, String beanName, String factoryMethod,
			Object... arguments) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setFactoryBeanName(FACTORY_BEAN_NAME);
		definition.setFactoryMethodName(factoryMethod);
		for (int i = 0; i < arguments.length; i++) {
			definition.getConstructorArgumentValues().addIndexedArgumentValue(i, arguments[i]);
		}
		definition.setTargetType(WsClient.class);
		registry.registerBeanDefinition(beanName, definition);
	}

}
