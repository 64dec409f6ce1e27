package dev.wsboot.listener;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A listener method to register with the {@link WsListenerEndpointRegistry}: usually
 * found by the {@link WsListenerAnnotationBeanPostProcessor} on a
 * {@link dev.wsboot.annotation.WsListener @WsListener} method, but it can also be
 * registered programmatically.
 *
 * @param beanName the name of the bean declaring the method
 * @param bean the bean to invoke the method on (a proxy when the bean is proxied)
 * @param method the method to invoke, callable on {@code bean}
 * @param clientNames the clients to listen to; empty for every client
 * @param partial whether the method receives fragments (with a {@code boolean last}
 * parameter) instead of whole messages
 * @param match the {@code <JSON Pointer>=<value>} conditions a message must meet, all of
 * them; empty for every message
 * @param payload the JSON Pointer of the part converted to the payload parameter; empty
 * for the whole message
 */
public record WsListenerEndpoint(String beanName, Object bean, Method method, List<String> clientNames, boolean partial,
		List<String> match, String payload) {

	public WsListenerEndpoint {
		Assert.hasText(beanName, "'beanName' must not be empty");
		Assert.notNull(bean, "'bean' must not be null");
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(clientNames, "'clientNames' must not be null");
		Assert.notNull(match, "'match' must not be null");
		Assert.notNull(payload, "'payload' must not be null");
		clientNames = List.copyOf(clientNames);
		match = List.copyOf(match);
	}

	/**
	 * An endpoint for every message of its clients, converting the whole message.
	 * @param beanName the name of the bean declaring the method
	 * @param bean the bean to invoke the method on
	 * @param method the method to invoke
	 * @param clientNames the clients to listen to; empty for every client
	 * @param partial whether the method receives fragments
	 */
	public WsListenerEndpoint(String beanName, Object bean, Method method, List<String> clientNames, boolean partial) {
		this(beanName, bean, method, clientNames, partial, List.of(), "");
	}

	/**
	 * Whether the endpoint routes by JSON: it has conditions or converts a part of the
	 * message.
	 * @return whether {@link #match()} or {@link #payload()} is set
	 */
	public boolean isRouted() {
		return !this.match.isEmpty() || !this.payload.isEmpty();
	}

	/**
	 * Whether this endpoint listens to the given client.
	 * @param clientName the client's name
	 * @return {@code true} when the endpoint names the client or names no client at all
	 */
	public boolean listensTo(String clientName) {
		if (this.clientNames.isEmpty() || this.clientNames.contains(clientName)) {
			return true;
		}
		for (String name : this.clientNames) {
			if (isPattern(name) && clientName.startsWith(name.substring(0, name.length() - 1))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether this endpoint listens to the given client, a shard of {@code group}.
	 * @param clientName the client's name
	 * @param group the sharded client's name, {@code null} when the client is not a shard
	 * @return {@code true} when the endpoint names (or matches) the client or its group,
	 * or names no client at all
	 */
	public boolean listensTo(String clientName, @Nullable String group) {
		return listensTo(clientName) || (group != null && this.clientNames.contains(group));
	}

	/**
	 * Whether a {@code @WsListener} value is a name pattern ({@code tenant-*}): it
	 * matches every client whose name starts with what comes before the {@code *}.
	 * @param clientName the value
	 * @return {@code true} when it ends in {@code *}
	 */
	public static boolean isPattern(String clientName) {
		return clientName.endsWith("*");
	}

}
