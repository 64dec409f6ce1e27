package dev.wsboot.autoconfigure.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.support.JdbcTransactionManager;

import dev.wsboot.autoconfigure.InvalidWsConfigurationException;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.autoconfigure.WsProperties;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientFactory;
import dev.wsboot.client.WsClientOwnership;
import dev.wsboot.client.WsClients;
import dev.wsboot.cluster.WsClusterCoordinator;
import dev.wsboot.cluster.WsClusterSettings;

/**
 * Auto-configuration of cluster ownership: with {@code ws.cluster.enabled=true}, each
 * client whose {@code cluster.singleton} is {@code true} is connected by one replica at a
 * time. Uses the application's Spring Integration {@link LockRegistry}; without one, a
 * {@link JdbcLockRegistry} over the application's {@link DataSource} when
 * {@code spring-integration-jdbc} is present (table {@code INT_LOCK} from Spring
 * Integration's {@code schema-*.sql}, region {@value #LOCK_REGION}, time-to-live
 * {@code ws.cluster.lease}).
 */
@AutoConfiguration(after = WsAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration" })
@ConditionalOnClass(LockRegistry.class)
@ConditionalOnBooleanProperty("ws.cluster.enabled")
@ConditionalOnBean(WsClientFactory.class)
public final class WsClusterAutoConfiguration {

	/**
	 * The region of the auto-configured JDBC lock repository (rows of other users of
	 * INT_LOCK stay apart).
	 */
	public static final String LOCK_REGION = "ws-spring-boot";

	WsClusterAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WsClusterCoordinator wsClusterCoordinator(ObjectProvider<LockRegistry<?>> registries, WsClientFactory factory,
			ObjectProvider<WsClients> clients, WsProperties properties, Environment environment) {
		LockRegistry<?> registry = registries.getIfUnique();
		if (registry == null) {
			throw new InvalidWsConfigurationException("ws.cluster.enabled",
					"cluster ownership needs one Spring Integration LockRegistry bean, and there is "
							+ ((registries.stream().findAny().isPresent()) ? "more than one" : "none"),
					"add org.springframework.integration:spring-integration-jdbc and a DataSource (a JdbcLockRegistry"
							+ " is then auto-configured), define one LockRegistry bean (Redis, ZooKeeper, Hazelcast),"
							+ " or set ws.cluster.enabled=false");
		}
		WsProperties.Cluster cluster = properties.getCluster();
		WsClientOwnership ownership = new WsClientOwnership(new SingletonClients(environment)::isSingleton);
		factory.setOwnership(ownership);
		WsClusterSettings settings = new WsClusterSettings(cluster.getLease(), cluster.getAcquireInterval(),
				cluster.getMaxOwned(), properties.getShutdownTimeout());
		return new WsClusterCoordinator(registry, () -> clients.getObject().all(), ownership, settings);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcLockRegistry.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnMissingBean(LockRegistry.class)
	static class JdbcLockRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DefaultLockRepository wsLockRepository(DataSource dataSource) {
			DefaultLockRepository repository = new DefaultLockRepository(dataSource);
			repository.setRegion(LOCK_REGION);
			// its own short transactions, whatever transaction manager the application
			// has
			repository.setTransactionManager(new JdbcTransactionManager(dataSource));
			return repository;
		}

		@Bean
		JdbcLockRegistry wsLockRegistry(DefaultLockRepository wsLockRepository, WsProperties properties) {
			return new JdbcLockRegistry(wsLockRepository, properties.getCluster().getLease());
		}

	}

	/**
	 * Which clients are cluster singletons: {@code ws.clients.<name>.cluster.singleton},
	 * else {@code ws.defaults.cluster.singleton}, else {@code false}.
	 */
	static final class SingletonClients {

		private final Binder binder;

		private final Map<String, Boolean> singletons = new ConcurrentHashMap<>();

		SingletonClients(Environment environment) {
			this.binder = Binder.get(environment);
		}

		boolean isSingleton(WsClient client) {
			// shards (ws.clients.<name>.shards) are spread over the replicas unless their
			// client says cluster.singleton=false
			return client.shard()
				.map((shard) -> this.singletons.computeIfAbsent(client.name(),
						(name) -> this.binder.bind("ws.clients." + shard.group() + ".cluster.singleton", Boolean.class)
							.orElse(true)))
				.orElseGet(() -> this.singletons.computeIfAbsent(client.name(), this::configured));
		}

		private boolean configured(String name) {
			return this.binder.bind("ws.clients." + name + ".cluster.singleton", Boolean.class)
				.orElseGet(() -> this.binder.bind("ws.defaults.cluster.singleton", Boolean.class).orElse(false));
		}

	}

}
