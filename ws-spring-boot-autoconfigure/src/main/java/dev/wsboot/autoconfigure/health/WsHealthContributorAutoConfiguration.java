package dev.wsboot.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClients;
import dev.wsboot.health.WsClientsHealthContributor;

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
		return new WsClientsHealthContributor(clients);
	}

}
