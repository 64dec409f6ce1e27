package dev.wsboot.autoconfigure.actuate;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.wsboot.actuate.WsClientsEndpoint;
import dev.wsboot.actuate.WsClientsEndpointWebExtension;
import dev.wsboot.autoconfigure.WsProperties;
import dev.wsboot.client.WsClients;

/**
 * The {@code wsclients} endpoint, when the application exposes it
 * ({@code management.endpoints.web.exposure.include=wsclients}, or over JMX).
 */
@AutoConfiguration(afterName = "dev.wsboot.autoconfigure.WsAutoConfiguration")
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(WsClients.class)
@ConditionalOnAvailableEndpoint(WsClientsEndpoint.class)
public final class WsClientsEndpointAutoConfiguration {

	/**
	 * Added to {@code ws.shutdown-timeout}, after which a close that got no answer drops
	 * the socket.
	 */
	private static final Duration CLOSE_MARGIN = Duration.ofSeconds(1);

	WsClientsEndpointAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	WsClientsEndpoint wsClientsEndpoint(WsClients clients, ObjectProvider<WsProperties> properties) {
		Duration shutdownTimeout = properties.getIfAvailable(WsProperties::new).getShutdownTimeout();
		return new WsClientsEndpoint(clients, shutdownTimeout.plus(CLOSE_MARGIN));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(WsClientsEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	WsClientsEndpointWebExtension wsClientsEndpointWebExtension(WsClientsEndpoint endpoint) {
		return new WsClientsEndpointWebExtension(endpoint);
	}

}
