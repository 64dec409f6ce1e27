package dev.wsboot.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientSettings;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsShard;
import dev.wsboot.listener.WsListenerConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Templates, created clients, shards and name patterns, without a network.
 */
class FleetConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsHealthContributorAutoConfiguration.class))
		.withPropertyValues("ws.defaults.auto-startup=false");

	@Test
	void createdClientTakesTheTemplatesKeysAndTheSpecWins() {
		this.contextRunner
			.withPropertyValues("ws.defaults.ping-interval=7s", "ws.templates.tenant.url=ws://localhost:1/t",
					"ws.templates.tenant.connect-timeout=3s", "ws.templates.tenant.headers.X-Env=prod",
					"ws.templates.tenant.headers.Authorization=Bearer template")
			.run((context) -> {
				WsClients clients = context.getBean(WsClients.class);
				assertThat(clients.names()).isEmpty();
				WsClient client = clients.create("tenant-42",
						(spec) -> spec.template("tenant")
							.url(URI.create("ws://localhost:2/t/42"))
							.header("Authorization", "Bearer 42")
							.set("reconnect.max-delay", "9s"));
				WsClientSettings settings = settings(client);
				assertThat(client.url()).isEqualTo(URI.create("ws://localhost:2/t/42"));
				assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.reconnect().maxDelay()).isEqualTo(Duration.ofSeconds(9));
				assertThat(settings.headers()).containsEntry("X-Env", "prod")
					.containsEntry("Authorization", "Bearer 42");
				assertThat(clients.names()).containsExactly("tenant-42");
				assertThat(clients.get("tenant-42")).isSameAs(client);
				assertThat(client.shard()).isEmpty();
				assertThat(context).doesNotHaveBean("tenant-42");
			});
	}

	@Test
	void templatesAreNeverClientsByThemselves() {
		this.contextRunner.withPropertyValues("ws.templates.tenant.url=ws://localhost:1/t")
			.run((context) -> assertThat(context.getBean(WsClients.class).all()).isEmpty());
	}

	@Test
	void createdClientWithoutTemplateTakesTheDefaults() {
		this.contextRunner.withPropertyValues("ws.defaults.connect-timeout=4s").run((context) -> {
			WsClient client = context.getBean(WsClients.class)
				.create("device-1", (spec) -> spec.url(URI.create("wss://localhost:1/d")));
			assertThat(settings(client).connectTimeout()).isEqualTo(Duration.ofSeconds(4));
		});
	}

	@Test
	void createFailsNamingTheClientForANameInUse() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed").run((context) -> {
			WsClients clients = context.getBean(WsClients.class);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> clients.create("ticker", (spec) -> spec.url(URI.create("ws://localhost:1/x"))))
				.withMessageContaining("'ticker'")
				.withMessageContaining("in use by a configured client");
			clients.create("t-1", (spec) -> spec.url(URI.create("ws://localhost:1/x")));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> clients.create("t-1", (spec) -> spec.url(URI.create("ws://localhost:1/x"))))
				.withMessageContaining("remove('t-1') first");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> clients.create("t/2", (spec) -> spec.url(URI.create("ws://localhost:1/x"))))
				.withMessageContaining("'t/2'")
				.withMessageContaining("must not contain '/'");
		});
	}

	@Test
	void createFailsNamingAnUnknownTemplateAndTheKnownOnes() {
		this.contextRunner.withPropertyValues("ws.templates.tenant.url=ws://localhost:1/t").run((context) -> {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(WsClients.class).create("t-1", (spec) -> spec.template("tenat")))
				.withMessageContaining("Cannot create client 't-1' from template 'tenat'")
				.withMessageContaining("templates: [tenant]")
				.withMessageContaining("ws.templates.tenat.*");
			assertThat(context.getBean(WsClients.class).names()).isEmpty();
		});
	}

	@Test
	void createFailsForAMissingOrInvalidUrl() {
		this.contextRunner.withPropertyValues("ws.templates.tenant.ping-interval=5s").run((context) -> {
			WsClients clients = context.getBean(WsClients.class);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> clients.create("t-1", (spec) -> spec.template("tenant")))
				.withMessageContaining("Cannot create client 't-1' from template 'tenant': it has no url")
				.withMessageContaining("ws.templates.tenant.url");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> clients.create("t-2", (spec) -> spec.url(URI.create("http://localhost:1/x"))))
				.withMessageContaining("Cannot create client 't-2'")
				.withMessageContaining("scheme 'http'")
				.withMessageContaining("ws:// or wss://");
			assertThatIllegalArgumentException().isThrownBy(() -> clients.create("t-3",
					(spec) -> spec.url(URI.create("ws://localhost:1/x"))
						.pingInterval(Duration.ofSeconds(10))
						.idleTimeout(Duration.ofSeconds(5))))
				.withMessageContaining("idle-timeout");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> clients.create("t-4",
						(spec) -> spec.url(URI.create("ws://localhost:1/x")).set("ping-intervall", "5s")))
				.withMessageContaining("ping-intervall");
			assertThat(clients.names()).isEmpty();
		});
	}

	@Test
	void removeTakesACreatedClientAwayAndRefusesConfiguredOnes() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed").run((context) -> {
			WsClients clients = context.getBean(WsClients.class);
			clients.create("t-1", (spec) -> spec.url(URI.create("ws://localhost:1/x")));
			clients.remove("t-1").join();
			assertThat(clients.find("t-1")).isEmpty();
			assertThat(clients.names()).containsExactly("ticker");
			assertThatIllegalArgumentException().isThrownBy(() -> clients.remove("ticker"))
				.withMessageContaining("configured under ws.clients");
			assertThatIllegalArgumentException().isThrownBy(() -> clients.remove("nope"))
				.withMessageContaining("no such client");
			clients.create("t-1", (spec) -> spec.url(URI.create("ws://localhost:1/again")));
			assertThat(clients.get("t-1").url()).isEqualTo(URI.create("ws://localhost:1/again"));
		});
	}

	@Test
	void shardsAreOneBeanEachWithPlaceholdersReplaced() {
		this.contextRunner
			.withPropertyValues("ws.clients.gateway.url=ws://localhost:1/gw?shard={shard}&of={shards}",
					"ws.clients.gateway.shards=3", "ws.clients.gateway.headers.X-Shard=[{shard}, {shards}]",
					"ws.clients.other.url=ws://localhost:1/o")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WsClients clients = context.getBean(WsClients.class);
				assertThat(clients.names()).containsExactly("gateway-0", "gateway-1", "gateway-2", "other");
				assertThat(context).doesNotHaveBean("gateway");
				WsClient shard = context.getBean("gateway-2", WsClient.class);
				assertThat(shard.url()).isEqualTo(URI.create("ws://localhost:1/gw?shard=2&of=3"));
				assertThat(shard.shard()).contains(new WsShard("gateway", 2, 3));
				assertThat(settings(shard).headers()).containsEntry("X-Shard", "[2, 3]");
				assertThat(clients.group("gateway")).extracting(WsClient::name)
					.containsExactly("gateway-0", "gateway-1", "gateway-2");
				assertThat(clients.group("other")).containsExactly(clients.get("other"));
				assertThat(clients.group("none")).isEmpty();
				HealthContributors health = context.getBean("wsClientsHealthContributor",
						CompositeHealthContributor.class);
				assertThat(health.stream().map(HealthContributors.Entry::name)).containsExactly("gateway-0",
						"gateway-1", "gateway-2", "other");
			});
	}

	@Test
	void shardsBelowOneFailStartUpNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("ws.clients.gateway.url=ws://localhost:1/gw", "ws.clients.gateway.shards=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("ws.clients.gateway.shards"));
	}

	@Test
	void shardNamedLikeAConfiguredClientFailsStartUpNamingBoth() {
		this.contextRunner
			.withPropertyValues("ws.clients.gateway.url=ws://localhost:1/gw", "ws.clients.gateway.shards=2",
					"ws.clients.gateway-1.url=ws://localhost:1/other")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("ws.clients.gateway.shards")
				.hasMessageContaining("'gateway-1'"));
	}

	@Test
	void listenerPatternThatMatchesNoClientYetIsAccepted() {
		this.contextRunner.withUserConfiguration(PatternListener.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void listenerNamingTheShardedClientIsAccepted() {
		this.contextRunner.withUserConfiguration(GatewayListener.class)
			.withPropertyValues("ws.clients.gateway.url=ws://localhost:1/gw", "ws.clients.gateway.shards=2")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void listenerNamingNoClientExactlyIsStillAnError() {
		this.contextRunner.withUserConfiguration(GatewayListener.class)
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(WsListenerConfigurationException.class)
				.hasMessageContaining("'gateway'"));
	}

	@Test
	void healthCompositeSeesCreatedAndRemovedClients() {
		this.contextRunner.run((context) -> {
			WsClients clients = context.getBean(WsClients.class);
			CompositeHealthContributor health = context.getBean("wsClientsHealthContributor",
					CompositeHealthContributor.class);
			assertThat(health.stream()).isEmpty();
			clients.create("t-1", (spec) -> spec.url(URI.create("ws://localhost:1/x")));
			assertThat(health.getContributor("t-1")).isNotNull();
			assertThat(health.stream().map(HealthContributors.Entry::name)).containsExactly("t-1");
			clients.remove("t-1").join();
			assertThat(health.getContributor("t-1")).isNull();
			assertThat(health.stream()).isEmpty();
		});
	}

	private static WsClientSettings settings(WsClient client) {
		return (WsClientSettings) org.springframework.test.util.ReflectionTestUtils.getField(client, "settings");
	}

	@Configuration(proxyBeanMethods = false)
	static class PatternListener {

		@Bean
		Listener listener() {
			return new Listener();
		}

		static class Listener {

			@WsListener("tenant-*")
			void onText(String text) {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GatewayListener {

		@Bean
		Listener listener() {
			return new Listener();
		}

		static class Listener {

			final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

			@WsListener("gateway")
			void onText(String text, WsClient client) {
				this.received.add(client.name() + ":" + text);
			}

		}

	}

}
