package dev.wsboot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

import dev.wsboot.autoconfigure.WsProperties.Client;
import dev.wsboot.client.CloseCodeSet;
import dev.wsboot.client.WsClientSettings;
import dev.wsboot.transport.TransportFailures;
import dev.wsboot.transport.WsProxy;
import dev.wsboot.transport.WsProxySettings;
import dev.wsboot.transport.jdk.JdkWsTransport;
import dev.wsboot.client.WsCorrelationSettings;
import dev.wsboot.client.WsClientSettingsSource;
import dev.wsboot.client.WsClientSpec;
import dev.wsboot.client.WsShard;

/**
 * Turns {@code ws.defaults} and {@code ws.clients.<name>} into validated
 * {@link WsClientSettings}: the client's own keys win over the defaults, which win over
 * the built-in defaults. Every problem names the property and the fix. Clients created at
 * run time start from {@code ws.templates.<template>} (over {@code ws.defaults}) or
 * {@code ws.defaults}, with the keys set on their {@link WsClientSpec} on top; shards are
 * {@code ws.clients.<group>} with {@code {shard}} and {@code {shards}} replaced.
 */
final class WsClientSettingsResolver implements WsClientSettingsSource {

	static final Set<String> SUPPORTED_EXTENSIONS = Set.of("permessage-deflate");

	private static final long MIN_FRAGMENT_SIZE = 16;

	private static final boolean JACKSON_PRESENT = ClassUtils.isPresent("tools.jackson.core.JsonPointer",
			WsClientSettingsResolver.class.getClassLoader());

	private final Binder binder;

	private final Set<String> transports;

	private final SslBundleReloads sslContexts;

	WsClientSettingsResolver(Binder binder, ObjectProvider<SslBundles> sslBundles, Set<String> transports) {
		this(binder, transports, SslBundleReloads.withoutClients(sslBundles));
	}

	WsClientSettingsResolver(Binder binder, Set<String> transports, SslBundleReloads sslContexts) {
		this.binder = binder;
		this.transports = transports;
		this.sslContexts = sslContexts;
	}

	/** The merged, unvalidated properties of a client. */
	Client bind(String name) {
		Client client = new Client();
		this.binder.bind("ws.defaults", Bindable.ofInstance(client));
		this.binder.bind("ws.clients." + name, Bindable.ofInstance(client));
		return client;
	}

	WsClientSettings resolve(String name) {
		Client client = bind(name);
		String prefix = "ws.clients." + name + ".";
		if (client.getShards() < 1) {
			throw new InvalidWsConfigurationException(prefix + "shards",
					"is " + client.getShards() + " but must be at least 1",
					"Set " + prefix + "shards to 1 (one connection) or more.");
		}
		return settings(name, client, prefix);
	}

	@Override
	public WsClientSettings shard(WsShard shard) {
		Client client = bind(shard.group());
		String prefix = "ws.clients." + shard.group() + ".";
		if (client.getUrl() != null) {
			client.setUrl(URI.create(placeholders(client.getUrl().toString(), shard)));
		}
		client.getHeaders().replaceAll((header, value) -> placeholders(value, shard));
		return settings(shard.clientName(), client, prefix);
	}

	/**
	 * {@code {shard}} and {@code {shards}} replaced (also percent-encoded, as a URI keeps
	 * them).
	 */
	private static String placeholders(String text, WsShard shard) {
		String index = Integer.toString(shard.index());
		String count = Integer.toString(shard.count());
		return text.replace("{shard}", index)
			.replace("%7Bshard%7D", index)
			.replace("{shards}", count)
			.replace("%7Bshards%7D", count);
	}

	@Override
	public WsClientSettings created(String name, WsClientSpec spec) {
		String template = spec.getTemplate();
		String origin = "Cannot create client '" + name + "'"
				+ ((template != null) ? " from template '" + template + "'" : "");
		Client client = new Client();
		this.binder.bind("ws.defaults", Bindable.ofInstance(client));
		String prefix = "ws.defaults.";
		if (template != null) {
			// bound at all: the template exists (the whole ws.templates map is bound only
			// to say which do)
			if (!this.binder.bind("ws.templates." + template, Bindable.ofInstance(client)).isBound()) {
				Set<String> templates = this.binder.bind("ws.templates", Bindable.mapOf(String.class, Object.class))
					.orElse(Map.of())
					.keySet();
				throw new IllegalArgumentException(origin + ": there is no template '" + template + "' (templates: "
						+ templates + "). Define ws.templates." + template
						+ ".* or correct the name in spec.template(..).");
			}
			prefix = "ws.templates." + template + ".";
		}
		Map<String, Object> keys = new LinkedHashMap<>();
		spec.getProperties().forEach((key, value) -> keys.put("spec." + key, value));
		try {
			new Binder(new MapConfigurationPropertySource(keys)).bind("spec", Bindable.ofInstance(client),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		}
		catch (BindException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalArgumentException(origin + ": a key set on the WsClientSpec cannot be bound ("
					+ String.valueOf(cause.getMessage()).replace("spec.", "") + "). Correct the key (one of the "
					+ "ws.clients.<name>.* keys, relative to the client) or its value.", ex);
		}
		client.getHeaders().putAll(spec.getHeaders());
		if (client.getUrl() == null) {
			throw new IllegalArgumentException(origin + ": it has no url. Call spec.url(URI.create(\"wss://...\"))"
					+ ((template != null) ? " or set ws.templates." + template + ".url" : "") + ".");
		}
		try {
			return settings(name, client, prefix);
		}
		catch (InvalidWsConfigurationException ex) {
			throw new IllegalArgumentException(origin + ": " + ex.property() + " (or the same key on the WsClientSpec) "
					+ ex.problem() + ". " + ex.action(), ex);
		}
	}

	private WsClientSettings settings(String name, Client client, String prefix) {
		URI url = url(prefix + "url", client.getUrl());
		Duration connectTimeout = positive(prefix + "connect-timeout", client.getConnectTimeout());
		Duration pingInterval = notNegative(prefix + "ping-interval", client.getPingInterval());
		Duration idleTimeout = idleTimeout(prefix, client.getIdleTimeout(), pingInterval);
		long maxFragmentSize = size(prefix + "max-fragment-size", client.getMaxFragmentSize(), MIN_FRAGMENT_SIZE);
		long maxMessageSize = size(prefix + "max-message-size", client.getMaxMessageSize(), 1);
		if (maxMessageSize > Integer.MAX_VALUE - 8) {
			throw new InvalidWsConfigurationException(prefix + "max-message-size",
					"is " + client.getMaxMessageSize() + ", more than a Java array can hold",
					"Set it to at most 2047MB, or use a partial @WsListener to stream large messages.");
		}
		long sendBufferLimit = size(prefix + "send-buffer-limit", client.getSendBufferLimit(), 1);
		List<String> extensions = extensions(prefix + "extensions", client.getExtensions());
		String transport = client.getTransport().name().toLowerCase(Locale.ROOT);
		if (!this.transports.contains(transport)) {
			throw new InvalidWsConfigurationException(prefix + "transport",
					"is '" + transport + "' but that transport is not available (available: " + this.transports + ")",
					"Use one of " + this.transports + ", or add the library the transport needs to the classpath.");
		}
		if (transport.equals("jdk") && !extensions.isEmpty()) {
			throw new InvalidWsConfigurationException(prefix + "extensions",
					"is " + extensions + " but the jdk transport (java.net.http.WebSocket) cannot offer extensions",
					"Remove " + prefix + "extensions, or use " + prefix + "transport=tyrus for permessage-deflate.");
		}
		return new WsClientSettings(name, url, client.isAutoStartup(), client.getSubprotocols(), extensions,
				client.getHeaders(), connectTimeout, pingInterval, idleTimeout, maxFragmentSize, maxMessageSize,
				sendBufferLimit, reconnect(prefix + "reconnect.", client.getReconnect()),
				sslContext(prefix + "ssl.bundle", client.getSsl().getBundle(), name), transport,
				proxy(prefix + "proxy.", client.getProxy(), transport),
				correlation(prefix + "correlation.", client.getCorrelation()),
				WsClientSettings.ReadyOn.valueOf(client.getReadyOn().name()));
	}

	private static WsProxySettings proxy(String prefix, WsProperties.Proxy proxy, String transport) {
		URI url = proxy.getUrl();
		if (url == null) {
			return proxy.isUseSystem() ? new WsProxySettings(null, true) : WsProxySettings.NONE;
		}
		String property = prefix + "url";
		WsProxy resolved;
		try {
			resolved = WsProxy.of(asTyped(url));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidWsConfigurationException(property,
					"is '" + TransportFailures.describe(url) + "' but must be an http:// proxy URL with a host",
					"Set " + property + " to the HTTP proxy, such as http://proxy.example.com:3128 (credentials for "
							+ "Basic proxy authentication as user-info: http://user:password@proxy.example.com:3128).");
		}
		if (resolved.hasCredentials() && transport.equals("jdk")
				&& !JdkWsTransport.basicProxyAuthenticationThroughTunnels()) {
			throw new InvalidWsConfigurationException(property,
					"has credentials but the jdk transport cannot send them: the JDK disables Basic proxy "
							+ "authentication for tunnels (jdk.http.auth.tunneling.disabledSchemes=Basic)",
					"Run the JVM with -Djdk.http.auth.tunneling.disabledSchemes= (an empty list), or use "
							+ prefix.replace("proxy.", "transport") + "=tyrus, which sends the credentials itself.");
		}
		return WsProxySettings.of(resolved);
	}

	/**
	 * The URL as written in the configuration: Spring's {@code URIEditor} quotes every
	 * {@code %}, so that percent-encoded user-info would otherwise be decoded zero times
	 * instead of once.
	 */
	private static URI asTyped(URI url) {
		String userInfo = url.getRawUserInfo();
		if (userInfo == null || !userInfo.contains("%25")) {
			return url;
		}
		try {
			return new URI(url.getScheme() + ":" + url.getSchemeSpecificPart());
		}
		catch (URISyntaxException ex) {
			return url;
		}
	}

	private static WsCorrelationSettings correlation(String prefix, WsProperties.Correlation correlation) {
		return new WsCorrelationSettings(pointer(prefix + "request-id", correlation.getRequestId()),
				pointer(prefix + "reply-id", correlation.getReplyId()),
				pointer(prefix + "reply-payload", correlation.getReplyPayload()),
				pointer(prefix + "error", correlation.getError()),
				positive(prefix + "timeout", correlation.getTimeout()));
	}

	/**
	 * A JSON Pointer as Jackson compiles it, like the pointers of {@code @WsListener} and
	 * the request correlation that reads these: one rule for every pointer. Without
	 * Jackson requests cannot be enabled, and the client says so when it is created.
	 */
	private static @Nullable String pointer(String property, @Nullable String pointer) {
		if (pointer == null || pointer.isEmpty()) {
			return null;
		}
		if (JACKSON_PRESENT) {
			try {
				JsonPointer.compile(pointer);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidWsConfigurationException(property,
						"is '" + pointer + "', which is not a JSON Pointer (" + ex.getMessage() + ")",
						"Set " + property + " to a JSON Pointer (RFC 6901) such as /id or /params/id.");
			}
		}
		return pointer;
	}

	private static URI url(String property, @Nullable URI url) {
		if (url == null) {
			throw new InvalidWsConfigurationException(property, "is missing",
					"Set " + property + " to the ws:// or wss:// endpoint, or disable the client with "
							+ property.replace(".url", ".enabled") + "=false.");
		}
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))
				|| url.getHost() == null) {
			throw new InvalidWsConfigurationException(property, "has scheme '" + scheme + "'" + ((url
				.getHost() == null) ? " and no host" : "") + " but must be a ws:// or wss:// URL", "Set " + property
						+ " to a URL such as wss://stream.example.com/feed (http:// becomes ws://, https:// becomes wss://).");
		}
		return url;
	}

	private static Duration idleTimeout(String prefix, @Nullable Duration idleTimeout, Duration pingInterval) {
		if (idleTimeout == null) {
			return pingInterval.multipliedBy(3);
		}
		notNegative(prefix + "idle-timeout", idleTimeout);
		if (!pingInterval.isZero() && !idleTimeout.isZero() && idleTimeout.compareTo(pingInterval) <= 0) {
			throw new InvalidWsConfigurationException(prefix + "idle-timeout",
					"(" + idleTimeout + ") is not longer than " + prefix + "ping-interval (" + pingInterval
							+ "), so every connection would be declared dead between two pings",
					"Set " + prefix
							+ "idle-timeout to more than the ping interval (for example 3 times it), or 0 to turn the idle deadline off.");
		}
		return idleTimeout;
	}

	private WsClientSettings.Reconnect reconnect(String prefix, WsProperties.Reconnect reconnect) {
		Duration initialDelay = notNegative(prefix + "initial-delay", reconnect.getInitialDelay());
		Duration maxDelay = notNegative(prefix + "max-delay", reconnect.getMaxDelay());
		if (maxDelay.compareTo(initialDelay) < 0) {
			throw new InvalidWsConfigurationException(prefix + "max-delay",
					"(" + maxDelay + ") is shorter than " + prefix + "initial-delay (" + initialDelay + ")",
					"Set " + prefix + "max-delay to at least the initial delay.");
		}
		if (reconnect.getMultiplier() < 1.0) {
			throw new InvalidWsConfigurationException(prefix + "multiplier",
					"is " + reconnect.getMultiplier() + " but must be at least 1.0",
					"Set " + prefix + "multiplier to 1.0 (constant delay) or more.");
		}
		if (reconnect.getJitter() < 0 || reconnect.getJitter() >= 1.0) {
			throw new InvalidWsConfigurationException(prefix + "jitter",
					"is " + reconnect.getJitter() + " but must be a fraction from 0 (inclusive) to 1 (exclusive)",
					"Set " + prefix + "jitter to e.g. 0.2.");
		}
		if (reconnect.getMaxAttempts() < 0) {
			throw new InvalidWsConfigurationException(prefix + "max-attempts",
					"is " + reconnect.getMaxAttempts() + " but must not be negative",
					"Set " + prefix + "max-attempts to 0 (unlimited) or a positive number.");
		}
		return new WsClientSettings.Reconnect(reconnect.isEnabled(), initialDelay, maxDelay, reconnect.getMultiplier(),
				reconnect.getJitter(), reconnect.getMaxAttempts(),
				stopOnCloseCodes(prefix + "stop-on-close-codes", reconnect.getStopOnCloseCodes()));
	}

	private static CloseCodeSet stopOnCloseCodes(String property, List<String> codes) {
		try {
			return CloseCodeSet.parse(codes);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidWsConfigurationException(property, "is " + codes + " but " + ex.getMessage(),
					"List close codes from 1000 to 4999 and ranges of them, e.g. " + property + "=4004,4010-4014.");
		}
	}

	private static List<String> extensions(String property, List<String> extensions) {
		for (String extension : extensions) {
			if (!SUPPORTED_EXTENSIONS.contains(extension.trim().toLowerCase(Locale.ROOT))) {
				throw new InvalidWsConfigurationException(property,
						"contains the unknown extension '" + extension + "'",
						"Remove it; supported extensions: " + SUPPORTED_EXTENSIONS + ".");
			}
		}
		return extensions.stream().map((extension) -> extension.trim().toLowerCase(Locale.ROOT)).toList();
	}

	private @Nullable SSLContext sslContext(String property, @Nullable String bundle, String clientName) {
		if (bundle == null || bundle.isBlank()) {
			return null;
		}
		try {
			// follows the bundle's reloads
			return this.sslContexts.sslContext(bundle, clientName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidWsConfigurationException(property,
					"names the SSL bundle '" + bundle + "', which does not exist",
					"Define it under spring.ssl.bundle.jks." + bundle + ".* or spring.ssl.bundle.pem." + bundle
							+ ".*, or correct the name.");
		}
	}

	private static Duration notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new InvalidWsConfigurationException(property, "is " + value + " but must not be negative",
					"Set " + property + " to a positive duration such as 10s.");
		}
		return value;
	}

	private static Duration positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidWsConfigurationException(property, "is " + value + " but must be positive",
					"Set " + property + " to a positive duration such as 10s.");
		}
		return value;
	}

	private static long size(String property, DataSize value, long min) {
		if (value.toBytes() < min) {
			throw new InvalidWsConfigurationException(property,
					"is " + value.toBytes() + " bytes but must be at least " + min + " bytes",
					"Set " + property + " to a size such as 32KB or 1MB.");
		}
		return value.toBytes();
	}

}
