package dev.wsboot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;

import dev.wsboot.autoconfigure.WsProperties.Client;
import dev.wsboot.client.CloseCodeSet;
import dev.wsboot.client.WsClientSettings;

/**
 * Turns {@code ws.defaults} and {@code ws.clients.<name>} into validated
 * {@link WsClientSettings}: the client's own keys win over the defaults, which win over the
 * built-in defaults. Every problem names the property and the fix.
 */
final class WsClientSettingsResolver {

	static final Set<String> SUPPORTED_EXTENSIONS = Set.of("permessage-deflate");

	private static final long MIN_FRAGMENT_SIZE = 16;

	private final Binder binder;

	private final ObjectProvider<SslBundles> sslBundles;

	private final Set<String> transports;

	WsClientSettingsResolver(Binder binder, ObjectProvider<SslBundles> sslBundles, Set<String> transports) {
		this.binder = binder;
		this.sslBundles = sslBundles;
		this.transports = transports;
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
				sslContext(prefix + "ssl.bundle", client.getSsl().getBundle()), transport,
				WsClientSettings.ReadyOn.valueOf(client.getReadyOn().name()));
	}

	private static URI url(String property, @Nullable URI url) {
		if (url == null) {
			throw new InvalidWsConfigurationException(property, "is missing",
					"Set " + property + " to the ws:// or wss:// endpoint, or disable the client with "
							+ property.replace(".url", ".enabled") + "=false.");
		}
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss")) || url.getHost() == null) {
			throw new InvalidWsConfigurationException(property,
					"has scheme '" + scheme + "'" + ((url.getHost() == null) ? " and no host" : "")
							+ " but must be a ws:// or wss:// URL",
					"Set " + property + " to a URL such as wss://stream.example.com/feed (http:// becomes ws://, https:// becomes wss://).");
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
					"Set " + prefix + "idle-timeout to more than the ping interval (for example 3 times it), or 0 to turn the idle deadline off.");
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
			throw new InvalidWsConfigurationException(prefix + "multiplier", "is " + reconnect.getMultiplier()
					+ " but must be at least 1.0", "Set " + prefix + "multiplier to 1.0 (constant delay) or more.");
		}
		if (reconnect.getJitter() < 0 || reconnect.getJitter() >= 1.0) {
			throw new InvalidWsConfigurationException(prefix + "jitter", "is " + reconnect.getJitter()
					+ " but must be a fraction from 0 (inclusive) to 1 (exclusive)", "Set " + prefix + "jitter to e.g. 0.2.");
		}
		if (reconnect.getMaxAttempts() < 0) {
			throw new InvalidWsConfigurationException(prefix + "max-attempts", "is " + reconnect.getMaxAttempts()
					+ " but must not be negative", "Set " + prefix + "max-attempts to 0 (unlimited) or a positive number.");
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
				throw new InvalidWsConfigurationException(property, "contains the unknown extension '" + extension + "'",
						"Remove it; supported extensions: " + SUPPORTED_EXTENSIONS + ".");
			}
		}
		return extensions.stream().map((extension) -> extension.trim().toLowerCase(Locale.ROOT)).toList();
	}

	private @Nullable SSLContext sslContext(String property, @Nullable String bundle) {
		if (bundle == null || bundle.isBlank()) {
			return null;
		}
		SslBundles bundles = this.sslBundles.getIfAvailable();
		try {
			if (bundles == null) {
				throw new NoSuchSslBundleException(bundle, "No SslBundles bean");
			}
			return bundles.getBundle(bundle).createSslContext();
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidWsConfigurationException(property, "names the SSL bundle '" + bundle + "', which does not exist",
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
