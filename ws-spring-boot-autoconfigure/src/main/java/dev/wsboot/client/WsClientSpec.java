package dev.wsboot.client;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * What a client created with
 * {@link WsClients#create(String, java.util.function.Consumer)} looks like: a template
 * ({@code ws.templates.<template>.*}, or {@code ws.defaults.*} without one) and the keys
 * set here, which win over the template's. Each setter takes the value of the
 * {@code ws.clients.<name>.*} key of the same name, with the same validation.
 */
public final class WsClientSpec {

	private @Nullable String template;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	private final Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * Start from {@code ws.templates.<template>.*} instead of {@code ws.defaults.*}.
	 * @param template the template's name
	 * @return this spec
	 */
	public WsClientSpec template(String template) {
		Assert.hasText(template, "'template' must not be empty");
		this.template = template;
		return this;
	}

	/**
	 * The endpoint ({@code url}); required unless the template has one.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return this spec
	 */
	public WsClientSpec url(URI url) {
		return set("url", url);
	}

	/**
	 * An extra handshake header ({@code headers}); the value is a secret (never logged or
	 * shown). Headers add to the template's; the same name replaces the template's value.
	 * @param name the header name
	 * @param value the header value
	 * @return this spec
	 */
	public WsClientSpec header(String name, String value) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(value, "'value' must not be null");
		this.headers.put(name, value);
		return this;
	}

	/**
	 * The subprotocols to offer ({@code subprotocols}), in order of preference.
	 * @param subprotocols the subprotocols
	 * @return this spec
	 */
	public WsClientSpec subprotocols(String... subprotocols) {
		return set("subprotocols", List.of(subprotocols));
	}

	/**
	 * Whether the client connects when it is created in a running application
	 * ({@code auto-startup}, default {@code true}); otherwise call
	 * {@link WsClient#connect()}.
	 * @param autoStartup whether to connect at once
	 * @return this spec
	 */
	public WsClientSpec autoStartup(boolean autoStartup) {
		return set("auto-startup", autoStartup);
	}

	/**
	 * How often to ping ({@code ping-interval}); zero turns pings off.
	 * @param pingInterval the interval
	 * @return this spec
	 */
	public WsClientSpec pingInterval(Duration pingInterval) {
		return set("ping-interval", pingInterval);
	}

	/**
	 * How long nothing may be received before the connection is dead
	 * ({@code idle-timeout}).
	 * @param idleTimeout the timeout, zero for none
	 * @return this spec
	 */
	public WsClientSpec idleTimeout(Duration idleTimeout) {
		return set("idle-timeout", idleTimeout);
	}

	/**
	 * Limit for TCP, TLS and the handshake ({@code connect-timeout}).
	 * @param connectTimeout the timeout
	 * @return this spec
	 */
	public WsClientSpec connectTimeout(Duration connectTimeout) {
		return set("connect-timeout", connectTimeout);
	}

	/**
	 * Most bytes waiting to be sent ({@code send-buffer-limit}).
	 * @param sendBufferLimit the limit
	 * @return this spec
	 */
	public WsClientSpec sendBufferLimit(DataSize sendBufferLimit) {
		return set("send-buffer-limit", sendBufferLimit);
	}

	/**
	 * Whether to reconnect after closes the application did not ask for
	 * ({@code reconnect.enabled}).
	 * @param reconnect whether to reconnect
	 * @return this spec
	 */
	public WsClientSpec reconnect(boolean reconnect) {
		return set("reconnect.enabled", reconnect);
	}

	/**
	 * The SSL bundle for {@code wss://} ({@code ssl.bundle}).
	 * @param bundle the name of a {@code spring.ssl.bundle.*}
	 * @return this spec
	 */
	public WsClientSpec sslBundle(String bundle) {
		return set("ssl.bundle", bundle);
	}

	/**
	 * Any other per-client key, as under {@code ws.clients.<name>.}, e.g.
	 * {@code ("reconnect.max-delay", "10s")} or {@code ("transport", "jdk")}.
	 * @param key the key relative to the client
	 * @param value the value (as in a properties file, or an object of the key's type)
	 * @return this spec
	 */
	public WsClientSpec set(String key, Object value) {
		Assert.hasText(key, "'key' must not be empty");
		Assert.notNull(value, "'value' must not be null");
		this.properties.put(key, value);
		return this;
	}

	/**
	 * The template named by {@link #template(String)}.
	 * @return the template's name, {@code null} for {@code ws.defaults}
	 */
	public @Nullable String getTemplate() {
		return this.template;
	}

	/**
	 * The keys set on this spec, relative to the client (without the headers).
	 * @return the keys and their values, in the order they were set
	 */
	public Map<String, Object> getProperties() {
		return Collections.unmodifiableMap(this.properties);
	}

	/**
	 * The headers set on this spec.
	 * @return the headers, in the order they were set
	 */
	public Map<String, String> getHeaders() {
		return Collections.unmodifiableMap(this.headers);
	}

}
