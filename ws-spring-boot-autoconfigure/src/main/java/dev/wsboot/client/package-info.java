/**
 * Managed WebSocket clients: the {@link dev.wsboot.client.WsClient} API, the registry of
 * clients and the connection state machine behind them.
 */
@NullMarked
package dev.wsboot.client;

import org.jspecify.annotations.NullMarked;
