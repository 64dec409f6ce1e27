package dev.wsboot.listener;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;
import dev.wsboot.client.WsMessageListener;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ClassUtils;

/**
 * Adapts one {@code @WsListener} method to {@link WsMessageListener}: skips messages
 * whose frame type the payload parameter does not fit or that do not meet its
 * {@code match} (reading the message's one shared parse), invokes the method through
 * spring-messaging, sends a non-null return value back on the client, and turns every
 * failure into one log line, an observation error and a call to the
 * {@link WsListenerErrorHandler}. Never throws.
 */
final class WsListenerAdapter implements WsMessageListener {

	private static final Log logger = LogFactory.getLog(WsListenerAdapter.class);

	private static final Object[] NO_PROVIDED_ARGUMENTS = {};

	private static final WsListenerObservationConvention DEFAULT_CONVENTION = new DefaultWsListenerObservationConvention();

	private final WsListenerEndpoint endpoint;

	private final String name;

	private final WsListenerSignature signature;

	private final InvocableHandlerMethod handlerMethod;

	private final WsListenerCollaborators collaborators;

	private final @Nullable WsListenerRoute route;

	/**
	 * Parses a message's text into the tree shared by its listeners; {@code null} without
	 * Jackson.
	 */
	private final @Nullable Function<String, ?> parser;

	/** The headers of the client this listener saw last (most listen to one client). */
	private volatile @Nullable ClientHeaders clientHeaders;

	WsListenerAdapter(WsListenerEndpoint endpoint, WsListenerSignature signature, InvocableHandlerMethod handlerMethod,
			WsListenerCollaborators collaborators, @Nullable Function<String, ?> parser) {
		this.endpoint = endpoint;
		this.name = nameOf(endpoint);
		this.signature = signature;
		this.handlerMethod = handlerMethod;
		this.collaborators = collaborators;
		this.route = signature.route();
		this.parser = parser;
	}

	/**
	 * Whether this listener converts JSON, and so would parse a text message of its own.
	 * @return whether it reads JSON
	 */
	boolean readsJson() {
		return this.signature.readsJson() && this.parser != null;
	}

	/**
	 * This listener for a client whose text messages several listeners read as JSON: it
	 * converts from the message's shared parse instead of parsing the text itself.
	 * @return a view of this listener reading the shared parse
	 */
	WsMessageListener sharingParse() {
		return new SharingParse(this);
	}

	WsListenerEndpoint endpoint() {
		return this.endpoint;
	}

	/**
	 * The listener's name for logs, metrics and failures.
	 * @return {@code BeanClass.method}
	 */
	String name() {
		return this.name;
	}

	@Override
	public boolean isPartial() {
		return this.endpoint.partial();
	}

	/**
	 * Only listeners that receive the {@code WsMessage} itself (or nothing, leaving it to
	 * other resolvers), that reply (an asynchronous failure still reads the message) or
	 * whose failures go to a {@link WsListenerErrorHandler} (which may keep the failed
	 * message) may keep it: a {@code ByteBuffer} payload is documented to be valid during
	 * the call, the other payloads are copies.
	 */
	@Override
	public boolean retainsMessage() {
		WsListenerSignature.PayloadKind kind = this.signature.payloadKind();
		return kind == WsListenerSignature.PayloadKind.MESSAGE || kind == WsListenerSignature.PayloadKind.NONE
				|| !void.class.equals(this.endpoint.method().getReturnType())
				|| this.collaborators.get().errorHandler() != null;
	}

	@Override
	public void onMessage(WsMessage message, WsClient client) {
		onMessage(message, client, false);
	}

	private void onMessage(WsMessage message, WsClient client, boolean shareParse) {
		if (!this.signature.accepts(message)) {
			return;
		}
		Object tree = null;
		if (this.route != null) {
			if (!message.isText()) {
				return;
			}
			try {
				tree = message.parsed(this.parser);
			}
			catch (RuntimeException ex) {
				// not JSON: no condition can hold
				return;
			}
			if (!this.route.matches(tree)) {
				return;
			}
		}
		else if (this.parser != null && message.isText() && this.signature.readsJson()
				&& (shareParse || message.isParsed())) {
			try {
				tree = message.parsed(this.parser);
			}
			catch (RuntimeException ex) {
				// not JSON: the converter reads the text and reports why
			}
		}
		WsListenerCollaborators.Resolved collaborators = this.collaborators.get();
		ObservationRegistry registry = collaborators.observationRegistry();
		if (registry.isNoop()) {
			invoke(message, tree, client, collaborators.errorHandler());
			return;
		}
		WsListenerObservationContext context = new WsListenerObservationContext(client, this.name, message);
		Observation observation = Observation
			.createNotStarted(collaborators.observationConvention(), DEFAULT_CONVENTION, () -> context, registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			Throwable failure = invoke(message, tree, client, collaborators.errorHandler());
			if (failure != null) {
				observation.error(failure);
			}
		}
		finally {
			observation.stop();
		}
	}

	private @Nullable Throwable invoke(WsMessage message, @Nullable Object tree, WsClient client,
			@Nullable WsListenerErrorHandler errorHandler) {
		Object result;
		try {
			WsInboundMessage inbound = new WsInboundMessage(this.signature.payload(message, tree), message, client,
					headers(client, tree));
			result = this.handlerMethod.invoke(inbound, NO_PROVIDED_ARGUMENTS);
		}
		catch (Throwable ex) {
			handleFailure(message, client, ex, errorHandler);
			return ex;
		}
		if (result != null) {
			reply(result, message, client);
		}
		return null;
	}

	private MessageHeaders headers(WsClient client, @Nullable Object tree) {
		if (tree != null && this.route != null && this.signature.readsHeaders()) {
			return WsInboundMessage.headers(client.name(), this.route.matchedValues(tree));
		}
		ClientHeaders headers = this.clientHeaders;
		if (headers == null || !headers.clientName().equals(client.name())) {
			headers = new ClientHeaders(client.name(), WsInboundMessage.headers(client.name(), null));
			this.clientHeaders = headers;
		}
		return headers.headers();
	}

	private void reply(Object result, WsMessage message, WsClient client) {
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, ex) -> {
				if (ex != null) {
					handleFailure(message, client, unwrap(ex), this.collaborators.get().errorHandler());
				}
				else if (value != null) {
					send(value, client);
				}
			});
			return;
		}
		send(result, client);
	}

	private void send(Object value, WsClient client) {
		CompletableFuture<Void> sent;
		try {
			if (value instanceof String text) {
				sent = client.sendText(text);
			}
			else if (value instanceof byte[] bytes) {
				sent = client.sendBinary(bytes);
			}
			else if (value instanceof ByteBuffer buffer) {
				sent = client.sendBinary(buffer);
			}
			else {
				sent = client.sendObject(value);
			}
		}
		catch (RuntimeException ex) {
			logReplyFailure(client, ex);
			return;
		}
		if (!sent.isDone() || sent.isCompletedExceptionally()) {
			sent.whenComplete((ignored, ex) -> {
				if (ex != null) {
					logReplyFailure(client, unwrap(ex));
				}
			});
		}
	}

	private void logReplyFailure(WsClient client, Throwable ex) {
		logger.warn("Reply of @WsListener " + this.name + " could not be sent on client '" + client.name() + "'", ex);
	}

	private void handleFailure(WsMessage message, WsClient client, Throwable ex,
			@Nullable WsListenerErrorHandler errorHandler) {
		if (isConversionFailure(ex)) {
			Class<?> payloadType = this.signature.payloadType();
			logger.warn("@WsListener " + this.name + " on client '" + client.name() + "' could not convert "
					+ WsListenerPayloadExcerpt.describe(message) + " to "
					+ ((payloadType != null) ? payloadType.getSimpleName() : "its payload type") + ": "
					+ WsListenerPayloadExcerpt.summary(NestedExceptionUtils.getMostSpecificCause(ex)));
		}
		else {
			logger.error("@WsListener " + this.name + " on client '" + client.name() + "' failed for "
					+ WsListenerPayloadExcerpt.describe(message), ex);
		}
		if (errorHandler != null) {
			try {
				errorHandler.handleError(new WsListenerFailure(client, this.name, message, ex));
			}
			catch (Throwable handlerEx) {
				logger.warn(
						"WsListenerErrorHandler " + errorHandler.getClass().getName() + " failed while handling "
								+ "a failure of @WsListener " + this.name + " on client '" + client.name() + "'",
						handlerEx);
			}
		}
	}

	private static boolean isConversionFailure(Throwable ex) {
		return ex instanceof MessageConversionException conversion
				&& conversion.getFailedMessage() instanceof WsInboundMessage;
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	private static String nameOf(WsListenerEndpoint endpoint) {
		Class<?> beanClass = ClassUtils.getUserClass(AopProxyUtils.ultimateTargetClass(endpoint.bean()));
		String className = beanClass.getSimpleName().isEmpty() ? beanClass.getName() : beanClass.getSimpleName();
		return className + "." + endpoint.method().getName();
	}

	@Override
	public String toString() {
		return "@WsListener " + this.name;
	}

	/** The headers of one client's messages. */
	private record ClientHeaders(String clientName, MessageHeaders headers) {
	}

	/** A listener converting from the message's shared parse. */
	private record SharingParse(WsListenerAdapter adapter) implements WsMessageListener {

		@Override
		public void onMessage(WsMessage message, WsClient client) {
			this.adapter.onMessage(message, client, true);
		}

		@Override
		public boolean isPartial() {
			return this.adapter.isPartial();
		}

		@Override
		public String toString() {
			return this.adapter.toString();
		}

	}

}
