package dev.wsboot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.wsboot.client.WsClients;
import dev.wsboot.metrics.WsClientMetrics;

/**
 * Registers the {@code ws.client.*} meters as a {@code MeterBinder} when the application
 * has a {@code MeterRegistry} (as Spring Boot's own binders, e.g. the JVM metrics, are
 * registered): without one nothing would bind them, so the binder is not created at all.
 */
@AutoConfiguration(afterName = { "dev.wsboot.autoconfigure.WsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean({ WsClients.class, MeterRegistry.class })
public final class WsMetricsAutoConfiguration {

	WsMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WsClientMetrics wsClientMetrics(WsClients clients) {
		return new WsClientMetrics(clients);
	}

}
