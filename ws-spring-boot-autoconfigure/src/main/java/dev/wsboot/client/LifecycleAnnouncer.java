package dev.wsboot.client;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.client.event.WsClientReadyEvent;
import dev.wsboot.client.event.WsClientReconnectingEvent;

/**
 * Tells the world about one managed client's lifecycle: the log lines (INFO for what an
 * operator wants to see, DEBUG for every attempt, WARN when the client gives up) and the
 * {@code WsClient*Event}s, published in order through the client's
 * {@link InboundDispatcher} (so listeners see them on the listener thread, never on a
 * transport thread). URLs are masked; header values never appear.
 */
final class LifecycleAnnouncer {

	private static final Log logger = LogFactory.getLog(ManagedWsClient.class);

	private final WsClient client;

	private final InboundDispatcher dispatcher;

	private final ApplicationEventPublisher publisher;

	private final Supplier<URI> urlInUse;

	LifecycleAnnouncer(WsClient client, InboundDispatcher dispatcher, ApplicationEventPublisher publisher,
			Supplier<URI> urlInUse) {
		this.client = client;
		this.dispatcher = dispatcher;
		this.publisher = publisher;
		this.urlInUse = urlInUse;
	}

	/**
	 * A connection opened.
	 * @param connection the connection
	 * @param then run right after the event was published (on the listener thread)
	 */
	void opened(ClientConnection connection, Runnable then) {
		Optional<String> subprotocol = connection.connection().subprotocol();
		logger.info(
				describe() + " connected to " + url() + subprotocol.map((p) -> " (subprotocol " + p + ")").orElse(""));
		WsClientOpenedEvent event = new WsClientOpenedEvent(this.client, subprotocol.orElse(null));
		this.dispatcher.submit(() -> {
			connection.publishOpened(() -> publish(event));
			then.run();
		});
	}

	/**
	 * An open connection ended.
	 * @param code the close code
	 * @param reason the close reason
	 * @param willReconnect whether a reconnect follows
	 */
	void closed(int code, String reason, boolean willReconnect) {
		closed(code, reason, willReconnect, null);
	}

	/**
	 * An open connection ended.
	 * @param code the close code
	 * @param reason the close reason
	 * @param willReconnect whether a reconnect follows
	 * @param then run once the event was published, or {@code null}
	 */
	void closed(int code, String reason, boolean willReconnect, @Nullable Runnable then) {
		logger.info(describe() + " disconnected from " + url() + " with " + code
				+ (reason.isEmpty() ? "" : " (" + reason + ")") + (willReconnect ? ", reconnecting" : ""));
		WsClientClosedEvent event = new WsClientClosedEvent(this.client, code, reason, willReconnect);
		this.dispatcher.submit(() -> {
			try {
				publish(event);
			}
			finally {
				if (then != null) {
					then.run();
				}
			}
		});
	}

	/**
	 * A connection attempt failed and another one follows.
	 * @param cause why it failed
	 */
	void failed(Throwable cause) {
		logger.debug(describe() + ": connection attempt failed: " + cause);
		WsClientFailedEvent event = new WsClientFailedEvent(this.client, cause, true);
		this.dispatcher.submit(() -> publish(event));
	}

	/**
	 * A reconnect attempt was scheduled.
	 * @param attempt the attempt, 1-based
	 * @param delay the delay before it
	 */
	void reconnecting(int attempt, Duration delay) {
		logger.debug(describe() + ": reconnect attempt " + attempt + " in " + delay.toMillis() + " ms");
		WsClientReconnectingEvent event = new WsClientReconnectingEvent(this.client, attempt, delay);
		this.dispatcher.submit(() -> publish(event));
	}

	/**
	 * The client stopped trying to connect.
	 * @param cause the last failure
	 * @param why why it stopped
	 */
	void gaveUp(Throwable cause, String why) {
		logger.warn(describe() + " stopped connecting to " + url() + ": " + why + " (last failure: " + cause + ")");
		WsClientFailedEvent event = new WsClientFailedEvent(this.client, cause, false);
		this.dispatcher.submit(() -> publish(event));
	}

	/**
	 * The application declared the connection ready.
	 */
	void ready() {
		logger.debug(describe() + " is ready");
		WsClientReadyEvent event = new WsClientReadyEvent(this.client);
		this.dispatcher.submit(() -> publish(event));
	}

	/**
	 * A connection closed and is not reconnected (a stop code, or the policy).
	 * @param code the close code
	 * @param reason the close reason
	 * @param why why reconnecting stopped
	 */
	void stopped(int code, String reason, String why) {
		logger.warn(describe() + " stopped connecting to " + url() + " after close " + code
				+ (reason.isEmpty() ? "" : " (" + reason + ")") + ": " + why);
	}

	private void publish(Object event) {
		this.publisher.publishEvent(event);
	}

	private String describe() {
		return "Client '" + this.client.name() + "'";
	}

	private String url() {
		return WsSecrets.mask(this.urlInUse.get());
	}

}
