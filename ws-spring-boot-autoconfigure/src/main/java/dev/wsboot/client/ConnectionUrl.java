package dev.wsboot.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Where one client's next connection attempts go: the configured URL, or the one the
 * protocol redirected it to ({@link WsClient#redirect(URI)}, e.g. Discord's
 * {@code resume_gateway_url}) until {@link WsClient#resetUrl()}.
 */
final class ConnectionUrl {

	private final String clientName;

	private final URI configured;

	private volatile @Nullable URI redirect;

	ConnectionUrl(String clientName, URI configured) {
		this.clientName = clientName;
		this.configured = configured;
	}

	/** The URL the next attempt connects to. */
	URI inUse() {
		URI redirect = this.redirect;
		return (redirect != null) ? redirect : this.configured;
	}

	void redirect(URI url) {
		Assert.notNull(url, "'url' must not be null");
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))
				|| url.getHost() == null) {
			throw new IllegalArgumentException(
					"Client '" + this.clientName + "': cannot redirect to " + WsSecrets.mask(url) + ": it has scheme '"
							+ scheme + "'" + ((url.getHost() == null) ? " and no host" : "")
							+ " but must be a ws:// or wss:// URL such as wss://gateway.example.com/?v=10");
		}
		this.redirect = url;
	}

	void reset() {
		this.redirect = null;
	}

}
