package dev.wsboot.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientRegistrationListener;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;

/**
 * Binds the {@code ws.client.*} meters of every managed client, tagged {@code client}. All
 * are read from the client's counters when the registry polls, so the message path does no
 * meter work. A client created at run time gets its meters when it is created and loses them
 * when it is removed; all are removed when the binder (with the clients) is destroyed.
 * <p>
 * Micrometer's function meters reference their state object weakly, so the binder keeps
 * each client's state itself: a garbage collection must not turn a counter into a constant.
 */
public final class WsClientMetrics implements MeterBinder, WsClientRegistrationListener, DisposableBean {

	/** The listener observations' timer (and its {@code .active} long task timer), tagged {@code client}. */
	private static final String LISTENER_METER_PREFIX = "ws.client.listener";

	private final WsClients clients;

	/** Each measured client's meters (they also keep its state alive), by client. */
	private final Map<WsClient, ClientMeters> meters = new IdentityHashMap<>();

	private final List<MeterRegistry> registries = new ArrayList<>();

	/**
	 * Create the binder.
	 * @param clients the clients to measure
	 */
	public WsClientMetrics(WsClients clients) {
		this.clients = clients;
		clients.addRegistrationListener(this);
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (WsClient client : this.clients.all()) {
			bind(client, registry);
		}
	}

	@Override
	public synchronized void clientAdded(WsClient client) {
		for (MeterRegistry registry : this.registries) {
			bind(client, registry);
		}
	}

	@Override
	public synchronized void clientRemoved(WsClient client) {
		ClientMeters meters = this.meters.remove(client);
		if (meters == null) {
			return;
		}
		// the listener observations' meters exist once a message reached a listener
		WsClientSnapshot last = meters.state().get();
		boolean received = last.textMessagesReceived() + last.binaryMessagesReceived() > 0;
		for (MeterRegistry registry : this.registries) {
			meters.meters().forEach(registry::remove);
			if (received) {
				for (Meter meter : registry.find(LISTENER_METER_PREFIX).tag("client", client.name()).meters()) {
					registry.remove(meter);
				}
				for (Meter meter : registry.find(LISTENER_METER_PREFIX + ".active")
					.tag("client", client.name())
					.meters()) {
					registry.remove(meter);
				}
			}
		}
	}

	private void bind(WsClient client, MeterRegistry registry) {
		if (client.snapshot().isEmpty()) {
			return;
		}
		ClientMeters clientMeters = this.meters.computeIfAbsent(client,
				(key) -> new ClientMeters(new Snapshots(key), new ArrayList<>(10)));
		List<Meter> meters = clientMeters.meters();
		Tags tags = Tags.of("client", client.name());
		Snapshots snapshots = clientMeters.state();
		meters.add(Gauge.builder("ws.client.connections", snapshots, gauge((s) -> (s.state() == WsClientState.OPEN) ? 1 : 0))
			.tags(tags)
			.description("1 when the client's connection is open, else 0")
			.register(registry));
		counter(meters, registry, "ws.client.messages.received", tags.and("type", "text"), snapshots,
				WsClientSnapshot::textMessagesReceived, "Text messages received", null);
		counter(meters, registry, "ws.client.messages.received", tags.and("type", "binary"), snapshots,
				WsClientSnapshot::binaryMessagesReceived, "Binary messages received", null);
		counter(meters, registry, "ws.client.messages.sent", tags.and("type", "text"), snapshots,
				WsClientSnapshot::textMessagesSent, "Text messages written", null);
		counter(meters, registry, "ws.client.messages.sent", tags.and("type", "binary"), snapshots,
				WsClientSnapshot::binaryMessagesSent, "Binary messages written", null);
		counter(meters, registry, "ws.client.bytes.received", tags, snapshots, WsClientSnapshot::bytesReceived,
				"Message payload bytes received (after decompression)", BaseUnits.BYTES);
		counter(meters, registry, "ws.client.bytes.sent", tags, snapshots, WsClientSnapshot::bytesSent,
				"Message payload bytes written", BaseUnits.BYTES);
		counter(meters, registry, "ws.client.reconnects", tags, snapshots, WsClientSnapshot::reconnects,
				"Reconnect attempts started", null);
		meters.add(FunctionTimer
			.builder("ws.client.latency", snapshots, (s) -> s.get().pongs(), (s) -> s.get().latencyTotal().toNanos(),
					TimeUnit.NANOSECONDS)
			.tags(tags)
			.description("Ping to pong round trip")
			.register(registry));
		meters.add(Gauge.builder("ws.client.send.buffered", snapshots, gauge((s) -> s.bufferedBytes()))
			.tags(tags)
			.baseUnit(BaseUnits.BYTES)
			.description("Bytes accepted by send but not yet written")
			.register(registry));
	}

	private static void counter(List<Meter> meters, MeterRegistry registry, String name, Tags tags,
			Snapshots snapshots, ToLongFunction<WsClientSnapshot> value, String description,
			@Nullable String baseUnit) {
		FunctionCounter.Builder<Snapshots> builder = FunctionCounter
			.builder(name, snapshots, (s) -> value.applyAsLong(s.get()))
			.tags(tags)
			.description(description);
		if (baseUnit != null) {
			builder.baseUnit(baseUnit);
		}
		meters.add(builder.register(registry));
	}

	private static ToDoubleFunction<Snapshots> gauge(ToDoubleFunction<WsClientSnapshot> value) {
		return (snapshots) -> value.applyAsDouble(snapshots.get());
	}

	@Override
	public synchronized void destroy() {
		this.clients.removeRegistrationListener(this);
		for (MeterRegistry registry : this.registries) {
			this.meters.values().forEach((meters) -> meters.meters().forEach(registry::remove));
		}
		this.meters.clear();
		this.registries.clear();
	}

	/** A client's meters and their state, held strongly here while the meters exist. */
	private record ClientMeters(Snapshots state, List<Meter> meters) {

	}

	/** The state of a client's function meters. */
	private record Snapshots(WsClient client) {

		WsClientSnapshot get() {
			return this.client.snapshot().orElseThrow();
		}

	}

}
