package dev.wsboot.transport.tyrus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import org.glassfish.tyrus.core.HandshakeException;
import org.glassfish.tyrus.core.TyrusExtension;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.TransportFailures;
import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsHandshakeException;

/**
 * Adds the request's headers to the upgrade request and checks the response.
 * <p>
 * Tyrus 2.2 calls {@link #afterResponse(HandshakeResponse)} for a 101 (after its own
 * checks, before the endpoint opens) and for every refusal except redirects (401, 503 and
 * any other status, right after it failed the connect), so this is where status and
 * headers of a refused handshake are seen. A 101 that selected a subprotocol or an
 * extension that was not offered is rejected here: Tyrus itself ignores unknown
 * extensions and does not check the subprotocol.
 */
final class TyrusHandshake extends ClientEndpointConfig.Configurator {

	private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

	private static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";

	private final WsConnectRequest request;

	private final Consumer<WsHandshakeException> onFailure;

	/**
	 * Create a configurator for one connect.
	 * @param request the request (headers, what was offered)
	 * @param onFailure called with the reason when the server refused or botched the
	 * handshake
	 */
	TyrusHandshake(WsConnectRequest request, Consumer<WsHandshakeException> onFailure) {
		this.request = request;
		this.onFailure = onFailure;
	}

	@Override
	public void beforeRequest(Map<String, List<String>> headers) {
		this.request.headers().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
	}

	@Override
	public void afterResponse(HandshakeResponse response) {
		int status = (response instanceof UpgradeResponse upgradeResponse) ? upgradeResponse.getStatus() : 101;
		Map<String, List<String>> headers = copy(response.getHeaders());
		if (status != 101) {
			this.onFailure.accept(ConnectFailures.refused(this.request.uri(), status, headers));
			return;
		}
		String problem = check(headers);
		if (problem != null) {
			String message = "Server at " + TransportFailures.describe(this.request.uri()) + " " + problem;
			this.onFailure.accept(new WsHandshakeException(message, status, headers));
			// Tyrus fails the upgrade (and closes the connection without opening the
			// endpoint)
			// only for a HandshakeException, which this method cannot declare: throw it
			// anyway.
			throw TyrusHandshake.<RuntimeException>sneaky(new HandshakeException(101, message));
		}
	}

	private @Nullable String check(Map<String, List<String>> headers) {
		List<String> protocols = values(headers, SEC_WEBSOCKET_PROTOCOL);
		if (protocols.size() > 1
				|| (protocols.size() == 1 && !this.request.subprotocols().contains(protocols.get(0)))) {
			return "selected subprotocol " + protocols + " but only " + this.request.subprotocols() + " was offered";
		}
		List<Extension> selected;
		try {
			selected = TyrusExtension.fromHeaders(values(headers, SEC_WEBSOCKET_EXTENSIONS));
		}
		catch (RuntimeException ex) {
			return "sent a malformed " + SEC_WEBSOCKET_EXTENSIONS + " header";
		}
		List<String> names = selected.stream().map(Extension::getName).toList();
		if (names.stream().distinct().count() < names.size()) {
			return "selected the same extension more than once: " + names;
		}
		for (Extension extension : selected) {
			if (!this.request.extensions().contains(extension.getName())) {
				return "selected extensions " + names + " but only " + this.request.extensions() + " were offered";
			}
			if (PerMessageDeflate.NAME.equals(extension.getName())) {
				try {
					PerMessageDeflateResponse.parse(extension.getParameters());
				}
				catch (IllegalArgumentException ex) {
					return "selected " + PerMessageDeflate.NAME + " with " + ex.getMessage();
				}
			}
		}
		return null;
	}

	private static List<String> values(Map<String, List<String>> headers, String name) {
		List<String> values = new ArrayList<>();
		headers.forEach((header, headerValues) -> {
			if (header.equalsIgnoreCase(name)) {
				for (String value : headerValues) {
					if (!value.isBlank()) {
						values.add(value.trim());
					}
				}
			}
		});
		return values;
	}

	/**
	 * The headers with lower-case names (as the Grizzly container delivers them), so that
	 * every container reports them alike; repeated names are merged.
	 */
	private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> {
			if (name != null && values != null) {
				List<String> merged = copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>());
				values.stream().filter(Objects::nonNull).forEach(merged::add);
			}
		});
		copy.replaceAll((name, values) -> List.copyOf(values));
		return copy;
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> E sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

}
