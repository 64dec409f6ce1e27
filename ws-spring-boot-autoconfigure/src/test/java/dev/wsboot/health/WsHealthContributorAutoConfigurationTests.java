package dev.wsboot.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code wsClients} health contributor that
 * {@link WsHealthContributorAutoConfiguration} registers.
 */
class WsHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsHealthContributorAutoConfiguration.class))
		.withPropertyValues("ws.defaults.auto-startup=false");

	@Test
	void contributesOneChildPerClient() {
		this.contextRunner
			.withPropertyValues("ws.clients.feed.url=ws://127.0.0.1:9/feed", "ws.clients.quotes.url=ws://127.0.0.1:9/q")
			.run((context) -> {
				CompositeHealthContributor composite = context.getBean("wsClientsHealthContributor",
						CompositeHealthContributor.class);
				assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactly("feed", "quotes");
				HealthIndicator feed = (HealthIndicator) composite.getContributor("feed");
				assertThat(feed.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(feed.health().getDetails()).containsEntry("state", "NEW")
					.containsEntry("url", "ws://127.0.0.1:9/feed")
					.containsEntry("reconnectAttempts", 0);
			});
	}

	@Test
	void isACompositeEvenWithASingleClient() {
		this.contextRunner.withPropertyValues("ws.clients.feed.url=ws://127.0.0.1:9/feed")
			.run((context) -> assertThat(context.getBean("wsClientsHealthContributor", HealthContributor.class))
				.isInstanceOf(CompositeHealthContributor.class));
	}

	@Test
	void startsWithoutAnyClient() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void canBeSwitchedOff() {
		this.contextRunner
			.withPropertyValues("ws.clients.feed.url=ws://127.0.0.1:9/feed",
					"management.health.ws-clients.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("wsClientsHealthContributor"));
	}

}
