/**
 * Auto-configuration of managed WebSocket clients and the {@code ws.*} properties.
 */
@NullMarked
package dev.wsboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
