package dev.wsboot.client;

import java.util.List;
import java.util.Map;

/**
 * Adjusts the handshake headers before <em>every</em> connection attempt of every client,
 * for example to put a fresh token in after a reconnect. Beans of this type are applied
 * in order, after the configured {@code headers}.
 */
@FunctionalInterface
public interface WsHandshakeCustomizer {

	/**
	 * Customize the headers of the next handshake.
	 * @param client the client about to connect (check {@link WsClient#name()})
	 * @param headers the headers, mutable; values are treated as secrets
	 */
	void customize(WsClient client, Map<String, List<String>> headers);

}
