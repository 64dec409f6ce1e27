/**
 * The {@code wsclients} actuator endpoint: every managed WebSocket client with its state
 * and counters, and connect, disconnect and reconnect actions.
 */
@NullMarked
package dev.wsboot.actuate;

import org.jspecify.annotations.NullMarked;
