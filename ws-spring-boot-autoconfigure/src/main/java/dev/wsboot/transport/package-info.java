/**
 * The small SPI a WebSocket implementation provides to the managed client: open a
 * connection, move frames, report the close. Nothing implementation-specific lives here.
 */
@NullMarked
package dev.wsboot.transport;

import org.jspecify.annotations.NullMarked;
