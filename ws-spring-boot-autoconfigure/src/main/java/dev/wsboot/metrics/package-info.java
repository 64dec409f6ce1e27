/**
 * Micrometer meters of managed WebSocket clients.
 */
@NullMarked
package dev.wsboot.metrics;

import org.jspecify.annotations.NullMarked;
