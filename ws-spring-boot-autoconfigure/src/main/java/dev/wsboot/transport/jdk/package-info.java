/**
 * A {@link dev.wsboot.transport.WsTransport} on the JDK's own
 * {@code java.net.http.WebSocket} client: no extra dependency, no extensions (the JDK
 * client cannot offer permessage-deflate). The only package that imports
 * {@code java.net.http}.
 */
@NullMarked
package dev.wsboot.transport.jdk;

import org.jspecify.annotations.NullMarked;
