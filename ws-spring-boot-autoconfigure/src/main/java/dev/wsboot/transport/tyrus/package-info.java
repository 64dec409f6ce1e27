/**
 * The default {@link dev.wsboot.transport.WsTransport}: Tyrus's {@code ClientManager}
 * used directly (not through Spring's {@code StandardWebSocketClient}, which breaks
 * permessage-deflate and may pick another container). The only package that imports
 * {@code org.glassfish.tyrus} and {@code jakarta.websocket}.
 */
@NullMarked
package dev.wsboot.transport.tyrus;

import org.jspecify.annotations.NullMarked;
