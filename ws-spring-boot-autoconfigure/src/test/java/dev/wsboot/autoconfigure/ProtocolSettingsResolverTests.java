package dev.wsboot.autoconfigure;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.wsboot.client.WsClientSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The protocol keys of a client: {@code reconnect.stop-on-close-codes} and
 * {@code ready-on}.
 */
class ProtocolSettingsResolverTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed", "ws.clients.ticker.auto-startup=false");

	@Test
	void defaultsToNoStopCodesAndReadyOnOpen() {
		WsClientSettings settings = resolve(Map.of("ws.clients.ticker.url", "ws://localhost/feed"));
		assertThat(settings.reconnect().stopOnCloseCodes().isEmpty()).isTrue();
		assertThat(settings.readyOn()).isEqualTo(WsClientSettings.ReadyOn.OPEN);
	}

	@Test
	void bindsStopCodesFromACommaSeparatedString() {
		WsClientSettings settings = resolve(Map.of("ws.clients.ticker.url", "ws://localhost/feed",
				"ws.clients.ticker.reconnect.stop-on-close-codes", "4004, 4010-4014"));
		assertThat(settings.reconnect().stopOnCloseCodes()).hasToString("[4004, 4010-4014]");
		assertThat(settings.reconnect().stopOnCloseCodes().contains(4012)).isTrue();
		assertThat(settings.reconnect().stopOnCloseCodes().contains(4005)).isFalse();
	}

	@Test
	void bindsStopCodesFromAYamlListAndFromDefaults() {
		WsClientSettings settings = resolve(
				Map.of("ws.clients.ticker.url", "ws://localhost/feed", "ws.defaults.reconnect.stop-on-close-codes[0]",
						"4004", "ws.defaults.reconnect.stop-on-close-codes[1]", "4010-4014"));
		assertThat(settings.reconnect().stopOnCloseCodes()).hasToString("[4004, 4010-4014]");
	}

	@Test
	void bindsReadyOnApplication() {
		WsClientSettings settings = resolve(
				Map.of("ws.clients.ticker.url", "ws://localhost/feed", "ws.clients.ticker.ready-on", "application"));
		assertThat(settings.readyOn()).isEqualTo(WsClientSettings.ReadyOn.APPLICATION);
	}

	@Test
	void rejectsAnInvalidStopCodeNamingTheKey() {
		assertThatExceptionOfType(InvalidWsConfigurationException.class)
			.isThrownBy(() -> resolve(Map.of("ws.clients.ticker.url", "ws://localhost/feed",
					"ws.clients.ticker.reconnect.stop-on-close-codes", "4004,40x4")))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("ws.clients.ticker.reconnect.stop-on-close-codes");
				assertThat(ex.problem()).contains("'40x4'");
				assertThat(ex.action()).contains("4004,4010-4014");
			});
	}

	@Test
	void failsStartUpForAnInvalidStopCodeRangeWithAnAnalysisNamingTheKey() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.reconnect.stop-on-close-codes=4014-4010")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'ws.clients.ticker.reconnect.stop-on-close-codes'")
					.contains("4014 is greater than 4010");
			});
	}

	private static WsClientSettings resolve(Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		return new WsClientSettingsResolver(binder, beanFactory.getBeanProvider(SslBundles.class),
				Set.of("tyrus", "jdk"))
			.resolve("ticker");
	}

}
