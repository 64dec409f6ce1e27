package dev.wsboot.autoconfigure;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.health.WsHealthContributorAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.listener.WsListenerConfigurationException;
import dev.wsboot.listener.WsListenerEndpoint;
import dev.wsboot.listener.WsListenerEndpointRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's beans and conditions, without a network.
 */
class WsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsHealthContributorAutoConfiguration.class))
		.withPropertyValues("ws.defaults.auto-startup=false");

	@Test
	void createsOneClientBeanPerConfiguredClientNamedAfterIt() {
		this.contextRunner
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed",
					"ws.clients.chat.url=wss://localhost:2/chat")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("ticker", WsClient.class).url())
					.isEqualTo(URI.create("ws://localhost:1/feed"));
				assertThat(context.getBean("chat", WsClient.class).name()).isEqualTo("chat");
				assertThat(context.getBean(WsClients.class).names()).containsExactly("ticker", "chat");
				assertThat(context.getBean("ticker", WsClient.class).state()).isEqualTo(WsClientState.NEW);
			});
	}

	@Test
	void createsNoClientWhenDisabled() {
		this.contextRunner
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed", "ws.clients.ticker.enabled=false",
					"ws.clients.chat.url=ws://localhost:1/chat")
			.run((context) -> {
				assertThat(context).doesNotHaveBean("ticker");
				assertThat(context.getBean(WsClients.class).names()).containsExactly("chat");
			});
	}

	@Test
	void createsNoClientWhenDisabledByDefault() {
		this.contextRunner
			.withPropertyValues("ws.defaults.enabled=false", "ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> assertThat(context).doesNotHaveBean("ticker"));
	}

	@Test
	void createsTheJdkTransportOnlyForAClientThatUsesIt() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeanFactory().containsSingleton("jdkWsTransport")).isFalse();
		});
		this.contextRunner
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed",
					"ws.clients.chat.url=ws://localhost:1/chat", "ws.clients.chat.transport=jdk")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanFactory().containsSingleton("jdkWsTransport")).isTrue();
			});
	}

	@Test
	void backsOffFromAUserDefinedClientOfTheSameName() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context.getBean("ticker")).isInstanceOf(UserClient.class);
				assertThat(context.getBean(WsClients.class).get("ticker")).isInstanceOf(UserClient.class);
			});
	}

	@Test
	void startsClientsThatAutoStartEvenWhenTheServerIsUnreachable() {
		this.contextRunner
			.withPropertyValues("ws.clients.ticker.url=ws://127.0.0.1:1/feed", "ws.clients.ticker.auto-startup=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("ticker", WsClient.class).state()).isIn(WsClientState.CONNECTING,
						WsClientState.RECONNECTING);
			});
	}

	@Test
	void contributesOneHealthChildPerClient() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed").run((context) -> {
			CompositeHealthContributor contributor = context.getBean("wsClientsHealthContributor",
					CompositeHealthContributor.class);
			HealthIndicator ticker = (HealthIndicator) contributor.getContributor("ticker");
			assertThat(ticker.health().getStatus().getCode()).isEqualTo("OUT_OF_SERVICE");
			assertThat(ticker.health().getDetails()).containsEntry("state", "NEW")
				.containsEntry("url", "ws://localhost:1/feed");
		});
	}

	@Test
	void contributesNoHealthWhenSwitchedOff() {
		this.contextRunner
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed",
					"management.health.ws-clients.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("wsClientsHealthContributor"));
	}

	@Test
	void contributesNoHealthWithoutTheHealthModule() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("wsClientsHealthContributor");
				assertThat(context).hasBean("ticker");
			});
	}

	@Test
	void failsStartUpWithAnAnalysisNamingTheProperty() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.url=http://localhost:1/feed").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new WsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'ws.clients.ticker.url'").contains("scheme 'http'");
			assertThat(analysis.getAction()).contains("wss://");
		});
	}

	@Test
	void failsStartUpForANegativeShutdownTimeoutNamingTheKey() {
		this.contextRunner.withPropertyValues("ws.shutdown-timeout=-1s", "ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'ws.shutdown-timeout'").contains("negative");
				assertThat(analysis.getAction()).contains("ws.shutdown-timeout");
			});
	}

	@Test
	void failsStartUpForAListenerSpinOver10MillisecondsNamingTheKey() {
		this.contextRunner.withPropertyValues("ws.listener-spin=50ms", "ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'ws.listener-spin'").contains("PT0.05S");
				assertThat(analysis.getAction()).contains("ws.listener-spin").contains("200us");
			});
	}

	@Test
	void failsStartUpForAListenerOfAnUnknownClient() {
		this.contextRunner.withUserConfiguration(UnknownClientListener.class)
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(WsListenerConfigurationException.class)
					.hasMessageContaining("tikcer")
					.hasMessageContaining("onQuote");
				FailureAnalysis analysis = new WsListenerFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("tikcer");
			});
	}

	@Test
	void acceptsAListenerOfADisabledClient() {
		this.contextRunner.withUserConfiguration(DisabledClientListener.class)
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed",
					"ws.clients.chat.url=ws://localhost:1/chat", "ws.clients.chat.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failsStartUpForAListenerParameterItCannotSupply() {
		this.contextRunner.withUserConfiguration(BadParameterListener.class)
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WsListenerFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("onTwoPayloads");
			});
	}

	@Test
	void registersTheListenersOfSingletonsWithoutCreatingTheMessageConverterAheadOfItsTurn() {
		this.contextRunner.withUserConfiguration(ListenerThenProbe.class)
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ConverterProbe.class).converterExisted()).isFalse();
				assertThat(context.getBean(WsListenerEndpointRegistry.class).getEndpoints())
					.map(WsListenerEndpoint::beanName)
					.containsExactly("handler");
			});
	}

	@Test
	void registersTheListenersOfABeanCreatedAfterStartUpAtOnce() {
		this.contextRunner.withUserConfiguration(LazyListener.class)
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				WsListenerEndpointRegistry registry = context.getBean(WsListenerEndpointRegistry.class);
				assertThat(registry.getEndpoints()).isEmpty();
				context.getBean("lazyHandler");
				assertThat(registry.getEndpoints()).map(WsListenerEndpoint::beanName).containsExactly("lazyHandler");
			});
	}

	@Test
	void convertsTextAndBytesWithoutJackson() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MessageConverter converter = context.getBean(WsAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME,
						MessageConverter.class);
				assertThat(converter.fromMessage(MessageBuilder.withPayload("hi").build(), String.class))
					.isEqualTo("hi");
				assertThat(converter.fromMessage(MessageBuilder.withPayload("{\"a\":1}").build(), Quote.class))
					.isNull();
			});
	}

	@Test
	void convertsJsonWithJackson() {
		this.contextRunner.withPropertyValues("ws.clients.ticker.url=ws://localhost:1/feed").run((context) -> {
			MessageConverter converter = context.getBean(WsAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME,
					MessageConverter.class);
			assertThat(converter.fromMessage(MessageBuilder.withPayload("{\"a\":1}").build(), Quote.class))
				.isEqualTo(new Quote(1));
		});
	}

	@Test
	void isListedInTheAutoConfigurationImports() {
		assertThat(ImportCandidates.load(org.springframework.boot.autoconfigure.AutoConfiguration.class,
				getClass().getClassLoader()))
			.contains(WsAutoConfiguration.class.getName(), WsHealthContributorAutoConfiguration.class.getName());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		WsClient ticker() {
			return new UserClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerThenProbe {

		@Bean
		TickerHandler handler() {
			return new TickerHandler();
		}

		@Bean
		@DependsOn("handler")
		ConverterProbe converterProbe(ConfigurableListableBeanFactory beanFactory) {
			return new ConverterProbe(beanFactory.containsSingleton(WsAutoConfiguration.MESSAGE_CONVERTER_BEAN_NAME));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyListener {

		@Bean
		@Lazy
		TickerHandler lazyHandler() {
			return new TickerHandler();
		}

	}

	static class TickerHandler {

		@WsListener("ticker")
		void onQuote(String quote) {
		}

	}

	/**
	 * Whether the message converter existed once the listener bean was post-processed.
	 */
	record ConverterProbe(boolean converterExisted) {
	}

	record Quote(int a) {
	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownClientListener {

		@WsListener("tikcer")
		void onQuote(String quote) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DisabledClientListener {

		@WsListener("chat")
		void onChat(String text) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadParameterListener {

		@WsListener("ticker")
		void onTwoPayloads(String text, byte[] data) {
		}

	}

	static final class UserClient implements WsClient {

		@Override
		public String name() {
			return "ticker";
		}

		@Override
		public URI url() {
			return URI.create("ws://user/");
		}

		@Override
		public WsClientState state() {
			return WsClientState.NEW;
		}

		@Override
		public CompletableFuture<Void> sendText(CharSequence text) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> sendBinary(ByteBuffer data) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<Void> sendObject(Object payload) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void connect() {
		}

		@Override
		public CompletableFuture<Void> close(int code, String reason) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void terminate() {
		}

		@Override
		public long bufferedAmount() {
			return 0;
		}

		@Override
		public Optional<Duration> latency() {
			return Optional.empty();
		}

		@Override
		public Optional<Instant> lastMessageReceived() {
			return Optional.empty();
		}

		@Override
		public Optional<String> subprotocol() {
			return Optional.empty();
		}

		@Override
		public List<String> extensions() {
			return List.of();
		}

	}

}
