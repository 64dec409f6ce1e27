package dev.wsboot.transport;

import java.util.concurrent.CompletableFuture;

/**
 * A WebSocket implementation that can open client connections. One instance is shared by
 * every client that selects it; it is closed with the application context.
 * <p>
 * Implementations only move frames: liveness, reconnecting, ordering of sends and
 * listener dispatch are the managed client's job.
 *
 * @see WsConnection
 * @see WsConnectionHandler
 */
public interface WsTransport extends AutoCloseable {

	/**
	 * Open a connection. The returned future completes with the open connection after the
	 * handshake succeeded and {@link WsConnectionHandler#onOpen(WsConnection)} returned,
	 * or exceptionally with a {@link WsHandshakeException} (or the I/O error) when it
	 * failed. Handshake failures never call
	 * {@link WsConnectionHandler#onClose(int, String)}.
	 * @param request what to connect to and how
	 * @param handler receives the connection's frames; never invoked concurrently
	 * @return the connection once open
	 */
	CompletableFuture<WsConnection> connect(WsConnectRequest request, WsConnectionHandler handler);

	/**
	 * Release the shared resources (selector and worker threads) of this transport.
	 */
	@Override
	void close();

}
