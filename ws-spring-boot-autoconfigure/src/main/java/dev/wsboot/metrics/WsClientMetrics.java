package dev.wsboot.metrics;

import java.util.ArrayList;
import java.util.List;
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

import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;

/**
 * Binds the {@code ws.client.*} meters of every managed client, tagged {@code client}. All
 * are read from the client's counters when the registry polls, so the message path does no
 * meter work. Meters are removed when the binder (with the clients) is destroyed.
 * <p>
 * Micrometer's function meters reference their state object weakly, so the binder keeps
 * each client's state itself: a garbage collection must not turn a counter into a constant.
 */
public final class WsClientMetrics implements MeterBinder, DisposableBean {

	private final WsClients clients;

	private final List<Meter> meters = new ArrayList<>();

	/** Function meters hold their state weakly: these keep it alive as long as the meters. */
	private final List<Snapshots> states = new ArrayList<>();

	private final List<MeterRegistry> registries = new ArrayList<>();

	/**
	 * Create the binder.
	 * @param clients the clients to measure
	 */
	public WsClientMetrics(WsClients clients) {
		this.clients = clients;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (String name : this.clients.names()) {
			if (this.clients.snapshot(name).isEmpty()) {
				continue;
			}
			Tags tags = Tags.of("client", name);
			Snapshots snapshots = new Snapshots(this.clients, name);
			this.states.add(snapshots);
			this.meters.add(Gauge.builder("ws.client.connections", snapshots, gauge((s) -> (s.state() == WsClientState.OPEN) ? 1 : 0))
				.tags(tags)
				.description("1 when the client's connection is open, else 0")
				.register(registry));
			counter(registry, "ws.client.messages.received", tags.and("type", "text"), snapshots,
					WsClientSnapshot::textMessagesReceived, "Text messages received", null);
			counter(registry, "ws.client.messages.received", tags.and("type", "binary"), snapshots,
					WsClientSnapshot::binaryMessagesReceived, "Binary messages received", null);
			counter(registry, "ws.client.messages.sent", tags.and("type", "text"), snapshots,
					WsClientSnapshot::textMessagesSent, "Text messages written", null);
			counter(registry, "ws.client.messages.sent", tags.and("type", "binary"), snapshots,
					WsClientSnapshot::binaryMessagesSent, "Binary messages written", null);
			counter(registry, "ws.client.bytes.received", tags, snapshots, WsClientSnapshot::bytesReceived,
					"Message payload bytes received (after decompression)", BaseUnits.BYTES);
			counter(registry, "ws.client.bytes.sent", tags, snapshots, WsClientSnapshot::bytesSent,
					"Message payload bytes written", BaseUnits.BYTES);
			counter(registry, "ws.client.reconnects", tags, snapshots, WsClientSnapshot::reconnects,
					"Reconnect attempts started", null);
			this.meters.add(FunctionTimer
				.builder("ws.client.latency", snapshots, (s) -> s.get().pongs(),
						(s) -> s.get().latencyTotal().toNanos(), TimeUnit.NANOSECONDS)
				.tags(tags)
				.description("Ping to pong round trip")
				.register(registry));
			this.meters.add(FunctionTimer
				.builder("ws.client.heartbeat", snapshots, (s) -> s.get().protocol().heartbeats(),
						(s) -> s.get().protocol().heartbeatTotal().toNanos(), TimeUnit.NANOSECONDS)
				.tags(tags)
				.description("Protocol heartbeat to acknowledgement")
				.register(registry));
			this.meters.add(Gauge.builder("ws.client.send.buffered", snapshots, gauge((s) -> s.bufferedBytes()))
				.tags(tags)
				.baseUnit(BaseUnits.BYTES)
				.description("Bytes accepted by send but not yet written")
				.register(registry));
		}
	}

	private void counter(MeterRegistry registry, String name, Tags tags, Snapshots snapshots,
			ToLongFunction<WsClientSnapshot> value, String description, @Nullable String baseUnit) {
		FunctionCounter.Builder<Snapshots> builder = FunctionCounter
			.builder(name, snapshots, (s) -> value.applyAsLong(s.get()))
			.tags(tags)
			.description(description);
		if (baseUnit != null) {
			builder.baseUnit(baseUnit);
		}
		this.meters.add(builder.register(registry));
	}

	private static ToDoubleFunction<Snapshots> gauge(ToDoubleFunction<WsClientSnapshot> value) {
		return (snapshots) -> value.applyAsDouble(snapshots.get());
	}

	@Override
	public synchronized void destroy() {
		for (MeterRegistry registry : this.registries) {
			this.meters.forEach(registry::remove);
		}
		this.meters.clear();
		this.registries.clear();
		this.states.clear();
	}

	private record Snapshots(WsClients clients, String name) {

		WsClientSnapshot get() {
			return this.clients.snapshot(this.name).orElseThrow();
		}

	}

}
