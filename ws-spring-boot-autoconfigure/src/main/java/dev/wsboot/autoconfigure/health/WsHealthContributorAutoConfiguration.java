package dev.wsboot.autoconfigure.health;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClients;
import dev.wsboot.health.WsClientHealthIndicator;

/**
 * Health contributor {@code wsClients} with one child per client
 * ({@code /actuator/health/wsClients/<name>}); off with
 * {@code management.health.ws-clients.enabled=false}.
 */
@AutoConfiguration(after = WsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(WsClients.class)
@ConditionalOnEnabledHealthIndicator("ws-clients")
public final class WsHealthContributorAutoConfiguration {

	WsHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "wsClientsHealthContributor")
	HealthContributor wsClientsHealthContributor(WsClients clients) {
		return new Composite(clients).create();
	}

	/** Boot's composite support, always as a composite so each client is a child even when alone. */
	private static final class Composite extends CompositeHealthContributorConfiguration<WsClientHealthIndicator, WsClient> {

		private final WsClients clients;

		Composite(WsClients clients) {
			super((client) -> new WsClientHealthIndicator(client, clients));
			this.clients = clients;
		}

		HealthContributor create() {
			Map<String, WsClient> byName = this.clients.all()
				.stream()
				.collect(Collectors.toMap(WsClient::name, (client) -> client, (a, b) -> a, java.util.LinkedHashMap::new));
			return createComposite(byName);
		}

	}

}
