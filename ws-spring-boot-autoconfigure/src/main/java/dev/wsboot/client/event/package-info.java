/**
 * Lifecycle events of managed WebSocket clients, published as Spring application events.
 */
@NullMarked
package dev.wsboot.client.event;

import org.jspecify.annotations.NullMarked;
