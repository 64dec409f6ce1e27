package dev.wsboot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.ssl.SslBundles;

import dev.wsboot.client.CloseCodeSet;
import dev.wsboot.client.WsClientSettings;
import dev.wsboot.client.WsCorrelationSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@code ws.defaults} and {@code ws.clients.<name>} become effective settings.
 */
class WsClientSettingsResolverTests {

	@Test
	void appliesContractDefaults() {
		WsClientSettings settings = resolve(Map.of("ws.clients.ticker.url", "wss://stream.example.com/feed"));
		assertThat(settings.autoStartup()).isTrue();
		assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(settings.maxFragmentSize()).isEqualTo(32 * 1024);
		assertThat(settings.maxMessageSize()).isEqualTo(1024 * 1024);
		assertThat(settings.sendBufferLimit()).isEqualTo(16 * 1024 * 1024);
		assertThat(settings.reconnect()).isEqualTo(new WsClientSettings.Reconnect(true, Duration.ofSeconds(1),
				Duration.ofSeconds(30), 2.0, 0.2, 0, CloseCodeSet.none()));
		assertThat(settings.transport()).isEqualTo("tyrus");
		assertThat(settings.sslContext()).isNull();
	}

	@Test
	void mergesDefaultsUnderEachClientAndLetsTheClientWin() {
		WsClientSettings settings = resolve(Map.of("ws.defaults.ping-interval", "5s", "ws.defaults.headers.X-Team", "a",
				"ws.defaults.reconnect.max-delay", "7s", "ws.clients.ticker.url", "ws://localhost/feed",
				"ws.clients.ticker.headers.Authorization", "Bearer t", "ws.clients.ticker.reconnect.max-delay", "9s"));
		assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(settings.headers()).containsOnlyKeys("X-Team", "Authorization");
		assertThat(settings.reconnect().maxDelay()).isEqualTo(Duration.ofSeconds(9));
	}

	@Test
	void turnsTheIdleDeadlineOffWithPings() {
		WsClientSettings settings = resolve(
				Map.of("ws.clients.ticker.url", "ws://localhost/feed", "ws.clients.ticker.ping-interval", "0"));
		assertThat(settings.idleTimeout()).isZero();
	}

	@Test
	void bindsSizesAndDurationsInTheirUsualUnits() {
		WsClientSettings settings = resolve(
				Map.of("ws.clients.ticker.url", "ws://localhost/feed", "ws.clients.ticker.max-message-size", "2MB",
						"ws.clients.ticker.max-fragment-size", "512B", "ws.clients.ticker.connect-timeout", "250ms"));
		assertThat(settings.maxMessageSize()).isEqualTo(2 * 1024 * 1024);
		assertThat(settings.maxFragmentSize()).isEqualTo(512);
		assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void rejectsAMissingUrl() {
		assertInvalid(Map.of("ws.clients.ticker.ping-interval", "5s"), "ws.clients.ticker.url", "is missing");
	}

	@Test
	void rejectsASchemeOtherThanWsOrWss() {
		assertInvalid(Map.of("ws.clients.ticker.url", "https://example.com/feed"), "ws.clients.ticker.url",
				"scheme 'https'");
	}

	@Test
	void rejectsNegativeDurations() {
		assertInvalid(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.ping-interval", "-1s"),
				"ws.clients.ticker.ping-interval", "must not be negative");
		assertInvalid(
				Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.reconnect.initial-delay", "-5s"),
				"ws.clients.ticker.reconnect.initial-delay", "must not be negative");
	}

	@Test
	void rejectsNegativeSizes() {
		assertInvalid(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.max-message-size", "-1MB"),
				"ws.clients.ticker.max-message-size", "must be at least");
		assertInvalid(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.send-buffer-limit", "-1"),
				"ws.clients.ticker.send-buffer-limit", "must be at least");
	}

	@Test
	void rejectsAnIdleTimeoutNotLongerThanThePingInterval() {
		assertInvalid(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.ping-interval", "10s",
				"ws.clients.ticker.idle-timeout", "10s"), "ws.clients.ticker.idle-timeout", "not longer than");
	}

	@Test
	void bindsCorrelationWithTheReplyIdDefaultingToTheRequestId() {
		WsClientSettings settings = resolve(
				Map.of("ws.clients.rpc.url", "ws://localhost/", "ws.defaults.correlation.timeout", "5s",
						"ws.clients.rpc.correlation.request-id", "/id", "ws.clients.rpc.correlation.error", "/error"),
				"rpc");
		assertThat(settings.correlation())
			.isEqualTo(new WsCorrelationSettings("/id", "/id", null, "/error", Duration.ofSeconds(5)));
		assertThat(resolve(Map.of("ws.clients.ticker.url", "ws://localhost/")).correlation().enabled()).isFalse();
	}

	@Test
	void rejectsACorrelationPointerThatIsNotAJsonPointer() {
		assertInvalid(
				Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.correlation.request-id", "id"),
				"ws.clients.ticker.correlation.request-id", "'id', which is not a JSON Pointer");
		assertInvalid(
				Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.correlation.reply-id", "a/b"),
				"ws.clients.ticker.correlation.reply-id", "not a JSON Pointer");
		assertInvalid(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.correlation.timeout", "0s"),
				"ws.clients.ticker.correlation.timeout", "must be positive");
	}

	@Test
	void acceptsTheCorrelationPointersThatListenersAccept() {
		// as @WsListener(payload = "/a~2") and the correlation itself: Jackson reads a
		// '~'
		// that is not an escape as itself
		WsClientSettings settings = resolve(Map.of("ws.clients.rpc.url", "ws://localhost/",
				"ws.clients.rpc.correlation.request-id", "/a~2", "ws.clients.rpc.correlation.reply-payload", "/a~1b/0"),
				"rpc");
		assertThat(settings.correlation().requestId()).isEqualTo("/a~2");
		assertThat(settings.correlation().replyPayload()).isEqualTo("/a~1b/0");
	}

	@Test
	void rejectsAnUnknownExtension() {
		assertInvalid(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.extensions", "x-gzip"),
				"ws.clients.ticker.extensions", "unknown extension 'x-gzip'");
	}

	@Test
	void rejectsAnUnknownSslBundle() {
		assertInvalid(Map.of("ws.clients.ticker.url", "wss://localhost/", "ws.clients.ticker.ssl.bundle", "nope"),
				"ws.clients.ticker.ssl.bundle", "'nope', which does not exist");
	}

	@Test
	void rejectsATransportThatIsNotAvailable() {
		Binder binder = new Binder(new MapConfigurationPropertySource(
				Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.transport", "jdk")));
		assertThatExceptionOfType(InvalidWsConfigurationException.class)
			.isThrownBy(() -> new WsClientSettingsResolver(binder,
					new DefaultListableBeanFactory().getBeanProvider(SslBundles.class), Set.of("tyrus"))
				.resolve("ticker"))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("ws.clients.ticker.transport"))
			.withMessageContaining("not available");
	}

	@Test
	void selectsTheJdkTransport() {
		assertThat(resolve(Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.transport", "jdk"))
			.transport()).isEqualTo("jdk");
	}

	@Test
	void rejectsExtensionsOnTheJdkTransport() {
		assertInvalid(
				Map.of("ws.clients.ticker.url", "ws://localhost/", "ws.clients.ticker.transport", "jdk",
						"ws.clients.ticker.extensions", "permessage-deflate"),
				"ws.clients.ticker.extensions", "cannot offer extensions");
	}

	private static void assertInvalid(Map<String, String> properties, String property, String problem) {
		assertThatExceptionOfType(InvalidWsConfigurationException.class).isThrownBy(() -> resolve(properties))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo(property);
				assertThat(ex.problem()).contains(problem);
				assertThat(ex.action()).isNotBlank();
			});
	}

	private static WsClientSettings resolve(Map<String, String> properties) {
		return resolve(properties, "ticker");
	}

	private static WsClientSettings resolve(Map<String, String> properties, String name) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		return new WsClientSettingsResolver(binder, beanFactory.getBeanProvider(SslBundles.class),
				Set.of("tyrus", "jdk"))
			.resolve(name);
	}

}
