package dev.wsboot.listener;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

import org.springframework.util.Assert;

/**
 * A failed {@link dev.wsboot.annotation.WsListener @WsListener} invocation, passed to the
 * {@link WsListenerErrorHandler}.
 *
 * @param client the client the message arrived on
 * @param listener the listener, as {@code BeanClass.method}
 * @param message the message that was being handled
 * @param cause the exception thrown by the method, or the conversion failure
 */
public record WsListenerFailure(WsClient client, String listener, WsMessage message, Throwable cause) {

	public WsListenerFailure {
		Assert.notNull(client, "'client' must not be null");
		Assert.hasText(listener, "'listener' must not be empty");
		Assert.notNull(message, "'message' must not be null");
		Assert.notNull(cause, "'cause' must not be null");
	}

}
