package dev.wsboot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.metrics.WsClientMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code ws.client.*} meters are bound: with the application's
 * {@link MeterRegistry}, and not at all without one.
 */
class WsMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsMetricsAutoConfiguration.class))
		.withPropertyValues("ws.defaults.auto-startup=false", "ws.clients.ticker.url=ws://localhost:1/feed");

	@Test
	void bindsTheClientMetersToTheMeterRegistrySpringBootConfigures() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(WsClientMetrics.class);
				assertThat(context.getBean(MeterRegistry.class)
					.find("ws.client.connections")
					.tag("client", "ticker")
					.gauge()).isNotNull();
			});
	}

	@Test
	void createsNoBinderWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(WsClientMetrics.class);
		});
	}

}
