package dev.wsboot.listener;

import java.lang.reflect.Method;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;
import dev.wsboot.client.WsMessageListener;

import org.springframework.core.env.MapPropertySource;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link WsListenerEndpointRegistry} and
 * {@link WsListenerAnnotationBeanPostProcessor}: which listeners a client gets, and the
 * start-up failures for listeners that cannot work.
 */
class WsListenerEndpointRegistryTests {

	@Test
	void clientGetsListenersNamingItOrNoClientInRegistrationOrder() {
		try (ListenerTestContext context = ListenerTestContext.of(TickerListener.class, EveryClientListener.class,
				OrdersListener.class)) {
			assertThat(context.listeners("ticker")).map(Object::toString)
				.containsExactly("@WsListener TickerListener.onText", "@WsListener EveryClientListener.onText");
			assertThat(context.listeners("orders")).map(Object::toString)
				.containsExactly("@WsListener EveryClientListener.onText", "@WsListener OrdersListener.onText");
		}
	}

	@Test
	void listenersOfAClientAreLookedUpAgainNotKeptPerClientName() {
		// each client keeps its own list; the registry keeps nothing per name, so a fleet
		// of
		// created and removed clients leaves no entry behind
		try (ListenerTestContext context = ListenerTestContext.of(TickerListener.class)) {
			assertThat(context.listeners("ticker")).isEqualTo(context.listeners("ticker")).hasSize(1);
		}
	}

	@Test
	void namePatternsMatchByPrefixAndGroupNamesMatchTheirShards() {
		Method method = ReflectionUtils.findMethod(NoListener.class, "handle", String.class);
		WsListenerEndpoint pattern = new WsListenerEndpoint("b", new NoListener(), method, List.of("tenant-*"), false);
		assertThat(pattern.listensTo("tenant-1")).isTrue();
		assertThat(pattern.listensTo("tenant-")).isTrue();
		assertThat(pattern.listensTo("tenant")).isFalse();
		assertThat(pattern.listensTo("other-1")).isFalse();
		WsListenerEndpoint group = new WsListenerEndpoint("b", new NoListener(), method, List.of("gateway"), false);
		assertThat(group.listensTo("gateway-1", "gateway")).isTrue();
		assertThat(group.listensTo("gateway-1", null)).isFalse();
		assertThat(group.listensTo("other-1", "other")).isFalse();
	}

	@Test
	void beansWithoutListenersRegisterNothing() {
		try (ListenerTestContext context = ListenerTestContext.of(NoListener.class)) {
			assertThat(context.registry().getEndpoints()).isEmpty();
			assertThat(context.listeners("ticker")).isEmpty();
		}
	}

	@Test
	void endpointCarriesBeanMethodClientsAndPartialFlag() {
		try (ListenerTestContext context = ListenerTestContext.of(AliasListener.class)) {
			assertThat(context.registry().getEndpoints()).singleElement().satisfies((endpoint) -> {
				assertThat(endpoint.bean()).isSameAs(context.bean(AliasListener.class));
				assertThat(endpoint.method().getName()).isEqualTo("onPart");
				assertThat(endpoint.clientNames()).containsExactly("ticker", "orders");
				assertThat(endpoint.partial()).isTrue();
			});
		}
	}

	@Test
	void clientNamesMayUsePlaceholders() {
		try (ListenerTestContext context = ListenerTestContext.of(
				(applicationContext) -> applicationContext.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("test", Map.of("feed.client", "orders"))),
				PlaceholderListener.class)) {
			assertThat(context.listeners("orders")).hasSize(1);
			assertThat(context.listeners("ticker")).isEmpty();
		}
	}

	@Test
	void metaAnnotatedMethodIsAListener() {
		try (ListenerTestContext context = ListenerTestContext.of(MetaAnnotatedListener.class)) {
			context.deliver(new RecordingWsClient("ticker"), WsMessage.text("hi", true));
			assertThat(context.bean(MetaAnnotatedListener.class).received).containsExactly("hi");
		}
	}

	@Test
	void listenerNamingUnknownClientFailsStartupNamingBeanMethodClientAndFix() {
		WsListenerConfigurationException ex = startupFailure(TypoListener.class);
		assertThat(ex.beanName()).endsWith("TypoListener");
		assertThat(ex.method().getName()).isEqualTo("onText");
		assertThat(ex.problem()).contains("'tikcer'").contains("[orders, ticker]");
		assertThat(ex.action()).isEqualTo("Add ws.clients.tikcer.url or correct the name in @WsListener.");
		assertThat(ex.getMessage()).contains("bean '" + ex.beanName() + "'")
			.contains(TypoListener.class.getName() + "#onText(String)")
			.contains("names client 'tikcer', which is not configured (configured clients: [orders, ticker])")
			.contains("Action: Add ws.clients.tikcer.url or correct the name");
	}

	@Test
	void endpointRegisteredAfterStartupIsCheckedAndReachesItsClient() {
		try (ListenerTestContext context = ListenerTestContext.of(TickerListener.class)) {
			WsListenerEndpointRegistry registry = context.registry();
			List<WsMessageListener> before = registry.forClient("orders");
			NoListener bean = new NoListener();
			registry.registerEndpoint(new WsListenerEndpoint("late", bean,
					ReflectionUtils.findMethod(NoListener.class, "handle", String.class), List.of("orders"), false));
			assertThat(before).isEmpty();
			assertThat(registry.forClient("orders")).hasSize(1);
			assertThatExceptionOfType(WsListenerConfigurationException.class)
				.isThrownBy(() -> registry.registerEndpoint(new WsListenerEndpoint("late", bean,
						ReflectionUtils.findMethod(NoListener.class, "handle", String.class), List.of("nope"), false)))
				.withMessageContaining("names client 'nope'");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidListeners")
	void invalidSignatureFailsStartupNamingTheProblemAndFix(Class<?> listener, String problem, String action) {
		WsListenerConfigurationException ex = startupFailure(listener);
		assertThat(ex.beanName()).endsWith(listener.getSimpleName());
		assertThat(ex.method().getDeclaringClass()).isEqualTo(listener);
		assertThat(ex.problem()).contains(problem);
		assertThat(ex.action()).contains(action);
		assertThat(ex.getMessage()).contains(listener.getName() + "#on").contains(problem).contains(action);
	}

	static Stream<Arguments> invalidListeners() {
		return Stream.of(
				Arguments.of(DestinationVariableListener.class, "is annotated with @DestinationVariable",
						"Declare at most one payload parameter"),
				Arguments.of(MatchWithoutValueListener.class,
						"has match entry '/op', which is not <JSON Pointer>=<value>", "match = {\"/op=0\""),
				Arguments.of(MatchPointerListener.class, "has match pointer 'op', which is not a JSON Pointer",
						"JSON Pointer (RFC 6901)"),
				Arguments.of(PayloadPointerListener.class, "has payload pointer 'd', which is not a JSON Pointer",
						"JSON Pointer (RFC 6901)"),
				Arguments.of(PartialMatchListener.class, "match and payload need the whole message",
						"Remove partial = true"),
				Arguments.of(BinaryMatchListener.class, "but takes binary messages", "Declare the payload as String"),
				Arguments.of(CharSequenceParameterListener.class, "use String for text messages", "WsClient"),
				Arguments.of(TwoPayloadsListener.class, "more than one payload parameter (String and Trade)",
						"Keep a single payload parameter"),
				Arguments.of(PartialWithoutLastListener.class, "partial = true but has no boolean parameter",
						"Add a 'boolean last' parameter"),
				Arguments.of(LastWithoutPartialListener.class,
						"has more than one payload parameter (String and boolean)", "Keep a single payload parameter"),
				Arguments.of(PartialBooleanPayloadListener.class, "a fragment cannot be converted to boolean",
						"Receive fragments as String, byte[], ByteBuffer or WsMessage"),
				Arguments.of(PartialJsonListener.class, "a fragment cannot be converted to Trade",
						"Receive fragments as String, byte[], ByteBuffer or WsMessage"),
				Arguments.of(TwoBooleansListener.class, "more than one boolean parameter",
						"single 'boolean last' parameter"));
	}

	private static WsListenerConfigurationException startupFailure(Class<?> listener) {
		Throwable failure = catchThrowable(() -> ListenerTestContext.of(listener).close());
		Throwable cause = failure;
		while (cause != null && !(cause instanceof WsListenerConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("start-up failure caused by WsListenerConfigurationException: %s", failure)
			.isInstanceOf(WsListenerConfigurationException.class);
		return (WsListenerConfigurationException) cause;
	}

	static class TickerListener {

		@WsListener("ticker")
		void onText(String text) {
		}

	}

	static class EveryClientListener {

		@WsListener
		void onText(String text) {
		}

	}

	static class OrdersListener {

		@WsListener(clients = "orders")
		void onText(String text) {
		}

	}

	static class NoListener {

		final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		void handle(String text) {
			this.received.add(text);
		}

	}

	static class AliasListener {

		@WsListener(clients = { "ticker", "orders" }, partial = true)
		void onPart(WsMessage part, boolean last) {
		}

	}

	static class PlaceholderListener {

		@WsListener("${feed.client}")
		void onText(String text) {
		}

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@WsListener("ticker")
	@interface TickerText {

	}

	static class MetaAnnotatedListener {

		final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@TickerText
		void onText(String text) {
			this.received.add(text);
		}

	}

	static class TypoListener {

		@WsListener({ "ticker", "tikcer" })
		void onText(String text) {
		}

	}

	static class DestinationVariableListener {

		@WsListener("ticker")
		void onText(String text, @DestinationVariable("id") String id) {
		}

	}

	static class MatchWithoutValueListener {

		@WsListener(value = "ticker", match = "/op")
		void onText(String text) {
		}

	}

	static class MatchPointerListener {

		@WsListener(value = "ticker", match = "op=0")
		void onText(String text) {
		}

	}

	static class PayloadPointerListener {

		@WsListener(value = "ticker", payload = "d")
		void onTrade(Trade trade) {
		}

	}

	static class PartialMatchListener {

		@WsListener(value = "ticker", match = "/op=0", partial = true)
		void onText(String text, boolean last) {
		}

	}

	static class BinaryMatchListener {

		@WsListener(value = "ticker", match = "/op=0")
		void onBinary(byte[] data) {
		}

	}

	static class CharSequenceParameterListener {

		@WsListener("ticker")
		void onText(CharSequence text) {
		}

	}

	static class TwoPayloadsListener {

		@WsListener("ticker")
		void onText(String text, WsClient client, Trade trade) {
		}

	}

	static class PartialWithoutLastListener {

		@WsListener(value = "ticker", partial = true)
		void onPart(String part) {
		}

	}

	static class LastWithoutPartialListener {

		@WsListener("ticker")
		void onText(String text, boolean last) {
		}

	}

	static class PartialBooleanPayloadListener {

		@WsListener(value = "ticker", partial = true)
		void onPart(@Payload boolean part, boolean last) {
		}

	}

	static class PartialJsonListener {

		@WsListener(value = "ticker", partial = true)
		void onTrade(Trade trade, boolean last) {
		}

	}

	static class TwoBooleansListener {

		@WsListener(value = "ticker", partial = true)
		void onPart(String part, boolean last, boolean again) {
		}

	}

}
