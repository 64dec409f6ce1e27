/**
 * {@link dev.wsboot.annotation.WsListener @WsListener} support: a bean post-processor
 * finds annotated methods, the {@link dev.wsboot.listener.WsListenerEndpointRegistry
 * registry} validates them and adapts each to a
 * {@link dev.wsboot.client.WsMessageListener}, invoking it with spring-messaging's
 * {@code InvocableHandlerMethod} and message converters.
 */
@NullMarked
package dev.wsboot.listener;

import org.jspecify.annotations.NullMarked;
