package dev.wsboot.listener;

import io.micrometer.observation.Observation;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

/**
 * The {@link Observation.Context} of one
 * {@link dev.wsboot.annotation.WsListener @WsListener} invocation, observed as
 * {@code ws.client.listener}.
 *
 * @see WsListenerObservationConvention
 */
public final class WsListenerObservationContext extends Observation.Context {

	private final WsClient client;

	private final String listener;

	private final WsMessage message;

	/**
	 * Create a new context.
	 * @param client the client the message arrived on
	 * @param listener the listener, as {@code BeanClass.method}
	 * @param message the message being handled
	 */
	public WsListenerObservationContext(WsClient client, String listener, WsMessage message) {
		this.client = client;
		this.listener = listener;
		this.message = message;
	}

	/**
	 * The client the message arrived on.
	 * @return the client
	 */
	public WsClient getClient() {
		return this.client;
	}

	/**
	 * The name of the client the message arrived on.
	 * @return the client name
	 */
	public String getClientName() {
		return this.client.name();
	}

	/**
	 * The listener being invoked.
	 * @return the listener, as {@code BeanClass.method}
	 */
	public String getListener() {
		return this.listener;
	}

	/**
	 * The message being handled.
	 * @return the message
	 */
	public WsMessage getMessage() {
		return this.message;
	}

}
