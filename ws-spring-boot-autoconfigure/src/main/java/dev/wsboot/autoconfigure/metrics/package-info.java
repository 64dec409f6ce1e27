/**
 * Auto-configuration of the WebSocket client meters.
 */
@NullMarked
package dev.wsboot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
