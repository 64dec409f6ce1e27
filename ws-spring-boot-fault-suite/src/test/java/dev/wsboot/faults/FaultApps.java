package dev.wsboot.faults;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;

/**
 * The application every fault test runs: the starter's auto-configuration (clients and
 * the {@code wsClients} health contributor) with Jackson, and a {@link ClientEvents}
 * bean.
 */
final class FaultApps {

	private FaultApps() {
	}

	/**
	 * A runner for the application; tests add the clients' properties.
	 * @return the runner
	 */
	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class,
					WsHealthContributorAutoConfiguration.class))
			.withBean(ClientEvents.class)
			.withPropertyValues("ws.shutdown-timeout=2s");
	}

	/**
	 * What {@code /actuator/health/wsClients/<client>} would report, from the health
	 * contributor bean.
	 * @param context the application
	 * @param client the client's name
	 * @return the status
	 */
	static Status health(ApplicationContext context, String client) {
		CompositeHealthContributor contributor = context.getBean("wsClientsHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) contributor.getContributor(client)).health().getStatus();
	}

}
