package dev.wsboot.health;

import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.util.Assert;

import dev.wsboot.client.WsClients;

/**
 * The {@code wsClients} health contributor: one {@link WsClientHealthIndicator} child per
 * client, read from the live {@link WsClients} registry, so clients created at run time
 * appear and removed ones disappear without holding an indicator per client.
 */
public final class WsClientsHealthContributor implements CompositeHealthContributor {

	private final WsClients clients;

	/**
	 * Create the contributor.
	 * @param clients the registry
	 */
	public WsClientsHealthContributor(WsClients clients) {
		Assert.notNull(clients, "'clients' must not be null");
		this.clients = clients;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.clients.find(name).map((client) -> new WsClientHealthIndicator(client, this.clients)).orElse(null);
	}

	@Override
	public Stream<Entry> stream() {
		return this.clients.all()
			.stream()
			.map((client) -> new Entry(client.name(), new WsClientHealthIndicator(client, this.clients)));
	}

}
