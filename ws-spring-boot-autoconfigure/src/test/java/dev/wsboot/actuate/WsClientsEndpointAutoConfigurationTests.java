package dev.wsboot.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.autoconfigure.actuate.WsClientsEndpointAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link WsClientsEndpointAutoConfiguration} creates the endpoint and its web
 * extension.
 */
class WsClientsEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsClientsEndpointAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=ws://127.0.0.1:9/feed", "ws.clients.feed.auto-startup=false");

	@Test
	void createsNothingUnlessTheEndpointIsExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(WsClientsEndpoint.class)
			.doesNotHaveBean(WsClientsEndpointWebExtension.class));
	}

	@Test
	void createsTheEndpointAndItsWebExtensionWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=wsclients")
			.run((context) -> assertThat(context).hasSingleBean(WsClientsEndpoint.class)
				.hasSingleBean(WsClientsEndpointWebExtension.class));
	}

	@Test
	void createsOnlyTheEndpointWhenExposedOverJmx() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=wsclients")
			.run((context) -> assertThat(context).hasSingleBean(WsClientsEndpoint.class)
				.doesNotHaveBean(WsClientsEndpointWebExtension.class));
	}

	@Test
	void createsNothingWhenAccessToTheEndpointIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=wsclients",
					"management.endpoint.wsclients.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(WsClientsEndpoint.class));
	}

	@Test
	void createsNothingWithoutTheActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=wsclients")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WsClientsEndpoint.class));
	}

	@Test
	void createsNothingWithoutClients() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WsClientsEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=wsclients")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WsClientsEndpoint.class));
	}

	@Test
	void isListedAsAnAutoConfiguration() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.contains(WsClientsEndpointAutoConfiguration.class.getName());
	}

}
