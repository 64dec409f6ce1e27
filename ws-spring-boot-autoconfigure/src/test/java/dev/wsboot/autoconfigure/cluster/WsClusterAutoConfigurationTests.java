package dev.wsboot.autoconfigure.cluster;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import dev.wsboot.actuate.WsClientsEndpoint;
import dev.wsboot.autoconfigure.InvalidWsConfigurationException;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.cluster.WsClusterCoordinator;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When cluster ownership is configured, and with which lock registry.
 */
class WsClusterAutoConfigurationTests {

	static WsTestServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsClusterAutoConfiguration.class));

	@BeforeAll
	static void startServer() {
		server = WsTestServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void isOffUnlessEnabled() {
		this.contextRunner.withUserConfiguration(LocalLocks.class)
			.withPropertyValues("ws.clients.feed.url=" + server.url(), "ws.clients.feed.cluster.singleton=true",
					"ws.defaults.auto-startup=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WsClusterCoordinator.class));
	}

	@Test
	void isOffWithoutSpringIntegration() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.withPropertyValues("ws.cluster.enabled=true", "ws.clients.feed.url=" + server.url(),
					"ws.defaults.auto-startup=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WsClusterCoordinator.class));
	}

	@Test
	void failsWithTheFixWhenThereIsNoLockRegistry() {
		this.contextRunner.withPropertyValues("ws.cluster.enabled=true", "ws.defaults.auto-startup=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidWsConfigurationException.class)
					.hasMessageContaining("ws.cluster.enabled")
					.hasMessageContaining("LockRegistry")
					.satisfies((failure) -> assertThat(((InvalidWsConfigurationException) failure).action())
						.contains("spring-integration-jdbc"));
			});
	}

	@Test
	void usesTheApplicationsLockRegistryAndConnectsOnlyTheClientsItOwns() {
		this.contextRunner.withUserConfiguration(LocalLocks.class)
			.withPropertyValues("ws.cluster.enabled=true", "ws.cluster.lease=1s", "ws.cluster.acquire-interval=100ms",
					"ws.clients.feed.url=" + server.url("/feed"), "ws.clients.feed.cluster.singleton=true",
					"ws.clients.plain.url=" + server.url("/plain"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(JdbcLockRegistry.class);
				WsClients clients = context.getBean(WsClients.class);
				WsClient feed = clients.get("feed");
				await().atMost(Duration.ofSeconds(10)).until(() -> feed.state() == WsClientState.OPEN);
				assertThat(context.getBean(WsClusterCoordinator.class).owned()).containsExactly("feed");
				assertThat(clients.snapshot("feed").orElseThrow().owner()).isTrue();
				WsClientsEndpoint endpoint = new WsClientsEndpoint(clients, Duration.ofSeconds(1));
				assertThat(endpoint.client("feed").owner()).isTrue();
				assertThat(endpoint.client("plain").owner()).isNull();
				await().atMost(Duration.ofSeconds(10)).until(() -> clients.get("plain").isOpen());
				assertThat(clients.snapshot("plain").orElseThrow().owner()).isNull();
			});
	}

	@Test
	void aSingletonWhoseLockIsHeldElsewhereWaitsInStandby() {
		DefaultLockRegistry shared = new DefaultLockRegistry();
		// another "replica" holds the lock, on a thread of its own
		Thread holder = new Thread(() -> shared.obtain("ws-cluster:client:feed").lock());
		holder.start();
		await().until(() -> !holder.isAlive());
		this.contextRunner.withBean(LockRegistry.class, () -> shared)
			.withPropertyValues("ws.cluster.enabled=true", "ws.cluster.lease=1s", "ws.cluster.acquire-interval=100ms",
					"ws.clients.feed.url=" + server.url("/standby"), "ws.clients.feed.cluster.singleton=true")
			.run((context) -> {
				WsClient feed = context.getBean(WsClients.class).get("feed");
				await().atMost(Duration.ofSeconds(5)).until(() -> feed.state() == WsClientState.STANDBY);
				await().during(Duration.ofMillis(500))
					.atMost(Duration.ofSeconds(2))
					.until(() -> feed.state() == WsClientState.STANDBY);
				assertThat(context.getBean(WsClusterCoordinator.class).owned()).isEmpty();
				assertThat(context.getBean(WsClients.class).snapshot("feed").orElseThrow().owner()).isFalse();
				WsClientsEndpoint endpoint = new WsClientsEndpoint(context.getBean(WsClients.class),
						Duration.ofSeconds(1));
				assertThat(endpoint.client("feed").state()).isEqualTo(WsClientState.STANDBY);
				assertThat(endpoint.client("feed").owner()).isFalse();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class LocalLocks {

		@Bean
		DefaultLockRegistry lockRegistry() {
			return new DefaultLockRegistry();
		}

	}

}
