package dev.wsboot.autoconfigure.metrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.wsboot.client.WsClients;
import dev.wsboot.metrics.WsClientMetrics;

/**
 * Registers the {@code ws.client.*} meters as a {@code MeterBinder}, so whichever
 * {@code MeterRegistry} the application has binds them (no ordering needed).
 */
@AutoConfiguration(afterName = "dev.wsboot.autoconfigure.WsAutoConfiguration")
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(WsClients.class)
public final class WsMetricsAutoConfiguration {

	WsMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WsClientMetrics wsClientMetrics(WsClients clients) {
		return new WsClientMetrics(clients);
	}

}
