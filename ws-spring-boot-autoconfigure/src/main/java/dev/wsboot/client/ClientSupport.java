package dev.wsboot.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.converter.MessageConverter;

import dev.wsboot.transport.WsTransport;

/**
 * What a client uses from the starter's shared infrastructure, built for it by the
 * {@link WsClientFactory} and handed to its {@link ManagedWsClient}. What the application
 * may set after the client was created is looked up each time it is used.
 *
 * @param transport opens the client's connections
 * @param scheduler the starter's timer (pings, idle deadlines, reconnect delays, request
 * timeouts)
 * @param listenerExecutor runs listeners and events, off transport threads
 * @param listenerSpin how long a listener thread waits for the client's next message
 * @param publisher publishes the lifecycle events
 * @param messageConverter reads replies as the requested type
 * @param json writes a payload that is not text as JSON, or throws
 * {@link WsSendException} naming the client
 * @param jsonParser the listeners' JSON parser, or {@code null}
 * @param listeners looks up the client's message listeners (on first use)
 * @param handshakeCustomizers applied to the headers, looked up on each attempt
 * @param reconnectPolicy the application's policy, looked up at each decision
 * @param ownership the cluster ownership gate, or {@code null} without one
 * @param shutdownTimeout how long a close waits for the closing handshake
 */
record ClientSupport(WsTransport transport, ScheduledExecutorService scheduler, Executor listenerExecutor,
		Duration listenerSpin, ApplicationEventPublisher publisher, MessageConverter messageConverter,
		Function<Object, String> json, @Nullable Function<String, ?> jsonParser,
		Supplier<List<WsMessageListener>> listeners, Supplier<List<WsHandshakeCustomizer>> handshakeCustomizers,
		Supplier<WsReconnectPolicy> reconnectPolicy, Supplier<@Nullable WsClientOwnership> ownership,
		Duration shutdownTimeout) {

}
