/**
 * Actuator health of managed WebSocket clients.
 */
@NullMarked
package dev.wsboot.health;

import org.jspecify.annotations.NullMarked;
