package dev.wsboot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.websocket.ClientEndpointConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.ClassUtils;

/**
 * Does, on Spring Boot's background pre-initialization thread, the class loading the
 * starter's beans would otherwise do on the main thread while the context starts:
 * spring-messaging's message id generator, handler method factory and converters, the
 * binding of {@code ws.*} properties and a client's settings (from an in-memory source),
 * the Tyrus internals check, and the client's own classes: a one-client application
 * starts in 0.93–0.97× of the time it takes without this (docs/performance.md, run 8).
 * Nothing here has an effect beyond loading and initializing classes. Spring Boot skips
 * it on one core, in a native image and with
 * {@code -Dspring.backgroundpreinitializer.ignore=true}.
 */
final class WsBackgroundPreinitializer implements BackgroundPreinitializer {

	private static final String TYRUS_CLIENT = "org.glassfish.tyrus.client.ClientManager";

	/** Loaded, not initialized: what a client needs at creation and first connect. */
	private static final List<String> CLIENT_CLASSES = List.of("dev.wsboot.client.ManagedWsClient",
			"dev.wsboot.client.ClientStateMachine", "dev.wsboot.client.ConnectionEnds",
			"dev.wsboot.client.ClientConnection", "dev.wsboot.client.InboundMessages",
			"dev.wsboot.client.InboundDispatcher", "dev.wsboot.client.InboundBudget", "dev.wsboot.client.SendQueue",
			"dev.wsboot.client.PendingRequests", "dev.wsboot.client.ReconnectDecision",
			"dev.wsboot.transport.ConnectAttempt", "dev.wsboot.transport.SerializedConnectionHandler",
			"dev.wsboot.listener.WsListenerAdapter", "dev.wsboot.listener.WsJsonMessageConverter",
			"org.springframework.messaging.handler.invocation.InvocableHandlerMethod");

	/** Loaded, not initialized, when Tyrus is on the class path. */
	private static final List<String> TYRUS_CLASSES = List.of("dev.wsboot.transport.tyrus.TyrusWsTransport",
			"dev.wsboot.transport.tyrus.TyrusEndpoint", "dev.wsboot.transport.tyrus.TyrusWsConnection");

	private final ClassLoader classLoader;

	WsBackgroundPreinitializer() {
		this(WsBackgroundPreinitializer.class.getClassLoader());
	}

	WsBackgroundPreinitializer(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void preinitialize() throws ClassNotFoundException {
		new MessageHeaders(null);
		new DefaultMessageHandlerMethodFactory().afterPropertiesSet();
		new CompositeMessageConverter(List.of(new StringMessageConverter(), new ByteArrayMessageConverter()));
		resolveSettings();
		load(CLIENT_CLASSES);
		if (ClassUtils.isPresent(TYRUS_CLIENT, this.classLoader)) {
			Tyrus.preinitialize(this.classLoader);
			load(TYRUS_CLASSES);
		}
	}

	/**
	 * Binds {@link WsProperties} and checks the settings of a client from an in-memory
	 * source, so that their binding on the main thread finds the binder's and the
	 * properties' classes loaded and resolved.
	 */
	private static void resolveSettings() {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("ws.clients.c.url", "ws://localhost/")));
		binder.bind("ws", WsProperties.class);
		new WsClientSettingsResolver(binder, Set.of("tyrus"), SslBundleReloads.withoutClients(new ObjectProvider<>() {
		})).resolve("c");
	}

	private void load(List<String> classNames) throws ClassNotFoundException {
		for (String className : classNames) {
			Class.forName(className, false, this.classLoader);
		}
	}

	/** Kept apart so that nothing of Tyrus is resolved when it is not there. */
	private static final class Tyrus {

		static void preinitialize(ClassLoader classLoader) throws ClassNotFoundException {
			// the reflective look-up of the internals the transport checks at start-up
			Class.forName("dev.wsboot.transport.tyrus.TyrusInternals", true, classLoader);
			ClientEndpointConfig.Builder.create().build();
		}

	}

}
