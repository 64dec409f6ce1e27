package dev.wsboot.autoconfigure;

import java.util.HashMap;
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
import dev.wsboot.transport.WsProxy;
import dev.wsboot.transport.WsProxySettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@code proxy.url} and {@code proxy.use-system} become a client's proxy settings,
 * and which proxy settings fail start-up.
 */
class WsProxySettingsResolverTests {

	@Test
	void connectsDirectlyByDefault() {
		assertThat(resolve(Map.of()).proxy()).isEqualTo(WsProxySettings.NONE);
	}

	@Test
	void takesHostPortAndPercentDecodedCredentialsFromTheProxyUrl() {
		WsClientSettings settings = resolve(
				Map.of("ws.clients.ticker.proxy.url", "http://alice:p%40ss%3Aword@proxy.example.com:3128"));
		assertThat(settings.proxy().proxy()).isEqualTo(new WsProxy("proxy.example.com", 3128, "alice", "p@ss:word"));
		assertThat(settings.toString()).contains("proxy=http://******@proxy.example.com:3128")
			.doesNotContain("alice")
			.doesNotContain("p@ss");
	}

	@Test
	void aProxyUrlWithoutPortUsesPort80() {
		assertThat(resolve(Map.of("ws.clients.ticker.proxy.url", "http://proxy.example.com")).proxy().proxy())
			.isEqualTo(new WsProxy("proxy.example.com", 80, null, null));
	}

	@Test
	void appliesTheDefaultsProxyToEveryClient() {
		assertThat(resolve(Map.of("ws.defaults.proxy.url", "http://proxy.example.com:8080")).proxy().proxy())
			.isEqualTo(new WsProxy("proxy.example.com", 8080, null, null));
	}

	@Test
	void useSystemAsksTheJvmsProxySelector() {
		assertThat(resolve(Map.of("ws.clients.ticker.proxy.use-system", "true")).proxy())
			.isEqualTo(new WsProxySettings(null, true));
	}

	@Test
	void rejectsAProxySchemeOtherThanHttpWithoutShowingTheCredentials() {
		assertThatExceptionOfType(InvalidWsConfigurationException.class)
			.isThrownBy(() -> resolve(Map.of("ws.clients.ticker.proxy.url", "socks5://alice:secret@proxy:1080")))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("ws.clients.ticker.proxy.url");
				assertThat(ex.problem()).contains("socks5://******@proxy:1080").contains("http://");
				assertThat(ex.getMessage() + ex.problem() + ex.action()).doesNotContain("secret");
			});
	}

	@Test
	void aWrongProxyUrlFailsStartUpWithAFailureAnalysisNamingTheKey() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class))
			.withPropertyValues("ws.clients.ticker.url=wss://stream.example.com/feed",
					"ws.clients.ticker.proxy.url=https://alice:secret@proxy.example.com:3128")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'ws.clients.ticker.proxy.url'")
					.contains("https://******@proxy.example.com:3128")
					.doesNotContain("secret");
				assertThat(analysis.getAction()).contains("http://proxy.example.com:3128");
			});
	}

	@Test
	void rejectsAProxyUrlWithoutHost() {
		assertThatExceptionOfType(InvalidWsConfigurationException.class)
			.isThrownBy(() -> resolve(Map.of("ws.clients.ticker.proxy.url", "proxy.example.com:3128")))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("ws.clients.ticker.proxy.url"));
		assertThatExceptionOfType(InvalidWsConfigurationException.class)
			.isThrownBy(() -> resolve(Map.of("ws.clients.ticker.proxy.url", "http:///")))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("ws.clients.ticker.proxy.url"));
	}

	@Test
	void rejectsProxyCredentialsForTheJdkTransportWhenTheJvmDisablesBasicForTunnels() {
		String property = "jdk.http.auth.tunneling.disabledSchemes";
		String previous = System.getProperty(property);
		System.setProperty(property, "Basic");
		try {
			assertThatExceptionOfType(InvalidWsConfigurationException.class)
				.isThrownBy(() -> resolve(Map.of("ws.clients.ticker.transport", "jdk", "ws.clients.ticker.proxy.url",
						"http://alice:secret@proxy:3128")))
				.satisfies((ex) -> {
					assertThat(ex.property()).isEqualTo("ws.clients.ticker.proxy.url");
					assertThat(ex.action()).contains("-Djdk.http.auth.tunneling.disabledSchemes=")
						.contains("ws.clients.ticker.transport=tyrus");
					assertThat(ex.getMessage() + ex.problem() + ex.action()).doesNotContain("secret");
				});
			assertThat(resolve(
					Map.of("ws.clients.ticker.transport", "jdk", "ws.clients.ticker.proxy.url", "http://proxy:3128"))
				.proxy()
				.proxy()).isNotNull();
		}
		finally {
			if (previous != null) {
				System.setProperty(property, previous);
			}
			else {
				System.clearProperty(property);
			}
		}
	}

	private static WsClientSettings resolve(Map<String, String> properties) {
		Map<String, String> all = new HashMap<>(properties);
		all.put("ws.clients.ticker.url", "wss://stream.example.com/feed");
		Binder binder = new Binder(new MapConfigurationPropertySource(all));
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		return new WsClientSettingsResolver(binder, beanFactory.getBeanProvider(SslBundles.class),
				Set.of("tyrus", "jdk"))
			.resolve("ticker");
	}

}
