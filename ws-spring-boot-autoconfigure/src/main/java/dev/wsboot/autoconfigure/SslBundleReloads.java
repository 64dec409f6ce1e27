package dev.wsboot.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import dev.wsboot.client.RollingReconnect;
import dev.wsboot.client.WsClient;

/**
 * The {@link SSLContext}s of the clients' SSL bundles, one per bundle, following the
 * bundle when Spring Boot reloads it ({@code spring.ssl.bundle.*.reload-on-update}): new
 * connections use the new material at once, and the open clients of that bundle reconnect
 * one at a time (close 1001, connect again) through {@link RollingReconnect}.
 */
final class SslBundleReloads {

	private static final Log logger = LogFactory.getLog(SslBundleReloads.class);

	static final int CLOSE_CODE = 1001;

	static final String CLOSE_REASON = "SSL bundle reloaded";

	private final ObjectProvider<SslBundles> sslBundles;

	private final Function<String, Optional<WsClient>> clients;

	private final Map<String, Bundle> bundles = new ConcurrentHashMap<>();

	/**
	 * Follow the reloads of the application's SSL bundles.
	 * @param sslBundles the SSL bundles
	 * @param clients the client of a name, reconnected when its bundle is reloaded
	 */
	SslBundleReloads(ObjectProvider<SslBundles> sslBundles, Function<String, Optional<WsClient>> clients) {
		this.sslBundles = sslBundles;
		this.clients = clients;
	}

	/**
	 * The context of a bundle for a client.
	 * @param bundleName the bundle's name
	 * @param clientName the client that uses it
	 * @return the context, which follows the bundle's reloads
	 * @throws NoSuchSslBundleException when there is no such bundle
	 */
	SSLContext sslContext(String bundleName, String clientName) {
		Bundle bundle = this.bundles.computeIfAbsent(bundleName, this::register);
		bundle.clients().add(clientName);
		return bundle.context();
	}

	private Bundle register(String name) {
		SslBundles sslBundles = this.sslBundles.getIfAvailable();
		if (sslBundles == null) {
			throw new NoSuchSslBundleException(name, "No SslBundles bean");
		}
		Bundle bundle = new Bundle(new ReloadableSslContext(sslBundles.getBundle(name).createSslContext()),
				new CopyOnWriteArraySet<>());
		sslBundles.addBundleUpdateHandler(name, (updated) -> reloaded(name, bundle, updated));
		return bundle;
	}

	private void reloaded(String name, Bundle bundle, SslBundle updated) {
		SSLContext context;
		try {
			context = updated.createSslContext();
		}
		catch (RuntimeException ex) {
			logger.warn("SSL bundle '" + name + "' was reloaded but its material cannot be used; WebSocket clients "
					+ bundle.clients() + " keep the previous material", ex);
			return;
		}
		bundle.context().update(context);
		List<WsClient> open = bundle.clients()
			.stream()
			.map(this.clients)
			.flatMap(Optional::stream)
			.filter(WsClient::isOpen)
			.toList();
		logger.info("SSL bundle '" + name + "' was reloaded: new connections use the new material" + (open.isEmpty()
				? ""
				: "; open WebSocket clients reconnect one at a time: " + open.stream().map(WsClient::name).toList()));
		RollingReconnect.start(open, CLOSE_CODE, CLOSE_REASON);
	}

	private record Bundle(ReloadableSslContext context, Set<String> clients) {
	}

	/**
	 * Nothing to reconnect: for a resolver that is not part of an application context.
	 */
	static SslBundleReloads withoutClients(ObjectProvider<SslBundles> sslBundles) {
		return new SslBundleReloads(sslBundles, (name) -> Optional.empty());
	}

	@Override
	public String toString() {
		return "SslBundleReloads" + this.bundles.keySet();
	}

}
