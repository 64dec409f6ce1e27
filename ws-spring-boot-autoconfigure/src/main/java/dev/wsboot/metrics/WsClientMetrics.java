package dev.wsboot.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientRegistrationListener;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsRequestTimings;

/**
 * Binds the {@code ws.client.*} meters of every managed client, tagged {@code client}.
 * All but one are read from the client's counters when the registry polls, so the message
 * path does no meter work; {@code ws.client.latency} is a {@link Timer} that records each
 * ping round trip as it is measured, so {@code management.metrics.distribution.*}
 * (percentiles, histograms, SLOs) applies to it. A client created at run time gets its
 * meters when it is created and loses them when it is removed; all are removed when the
 * binder (with the clients) is destroyed.
 * <p>
 * Micrometer's function meters reference their state object weakly, so the binder keeps
 * each client's state itself: a garbage collection must not turn a counter into a
 * constant.
 */
public final class WsClientMetrics implements MeterBinder, WsClientRegistrationListener, DisposableBean {

	/**
	 * The listener observations' timer (and its {@code .active} long task timer), tagged
	 * {@code client}.
	 */
	private static final String LISTENER_METER_PREFIX = "ws.client.listener";

	/**
	 * The counters, registered once non-zero: an idle client of a fleet of thousands
	 * costs two gauges, not ten meters.
	 */
	private static final List<Counter> COUNTERS = List.of(
			new Counter("ws.client.messages.received", "text", WsClientSnapshot::textMessagesReceived,
					"Text messages received", null),
			new Counter("ws.client.messages.received", "binary", WsClientSnapshot::binaryMessagesReceived,
					"Binary messages received", null),
			new Counter("ws.client.messages.sent", "text", WsClientSnapshot::textMessagesSent, "Text messages written",
					null),
			new Counter("ws.client.messages.sent", "binary", WsClientSnapshot::binaryMessagesSent,
					"Binary messages written", null),
			new Counter("ws.client.bytes.received", null, WsClientSnapshot::bytesReceived,
					"Message payload bytes received (after decompression)", BaseUnits.BYTES),
			new Counter("ws.client.bytes.sent", null, WsClientSnapshot::bytesSent, "Message payload bytes written",
					BaseUnits.BYTES),
			new Counter("ws.client.reconnects", null, WsClientSnapshot::reconnects, "Reconnect attempts started",
					null));

	/**
	 * The bit of the protocol heartbeat timer (registered after the first acknowledged
	 * beat).
	 */
	private static final int HEARTBEAT = 1 << COUNTERS.size();

	private static final ToDoubleFunction<Snapshots> CONNECTIONS = (snapshots) -> {
		WsClientSnapshot snapshot = snapshots.get();
		snapshots.metrics.registerUsed(snapshots, snapshot);
		return (snapshot.state() == WsClientState.OPEN) ? 1 : 0;
	};

	private static final ToDoubleFunction<Snapshots> BUFFERED = (snapshots) -> snapshots.get().bufferedBytes();

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
		WsClientSnapshot last = meters.state.get();
		boolean received = last.textMessagesReceived() + last.binaryMessagesReceived() > 0;
		for (MeterRegistry registry : this.registries) {
			meters.meters.forEach(registry::remove);
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
		ClientMeters clientMeters = this.meters.computeIfAbsent(client, (key) -> {
			ClientMeters created = new ClientMeters(new Snapshots(this, key), new ArrayList<>(4));
			this.clients.recordLatency(key.name(), (nanos) -> recordLatency(created, nanos));
			return created;
		});
		Snapshots snapshots = clientMeters.state;
		if (clientMeters.latency != null) {
			clientMeters.latency.add(latencyTimer(clientMeters, registry));
		}
		clientMeters.meters.add(Gauge.builder("ws.client.connections", snapshots, CONNECTIONS)
			.tags(snapshots.tags)
			.description("1 when the client's connection is open, else 0")
			.register(registry));
		clientMeters.meters.add(Gauge.builder("ws.client.send.buffered", snapshots, BUFFERED)
			.tags(snapshots.tags)
			.baseUnit(BaseUnits.BYTES)
			.description("Bytes accepted by send but not yet written")
			.register(registry));
		this.clients.requestTimings(client.name())
			.ifPresent((timings) -> requests(clientMeters.meters, registry, snapshots.tags, timings));
		// the lazy meters the client has in the other registries, then any newly used
		// ones everywhere
		register(clientMeters, snapshots.registered, List.of(registry));
		registerUsed(clientMeters, snapshots.get());
	}

	/**
	 * Record a ping round trip; the client's latency timers are registered by its first
	 * one.
	 */
	private void recordLatency(ClientMeters clientMeters, long nanos) {
		List<Timer> timers = clientMeters.latency;
		if (timers == null) {
			synchronized (this) {
				if (this.meters.get(clientMeters.state.client) != clientMeters) {
					return; // removed
				}
				timers = clientMeters.latency;
				if (timers == null) {
					timers = new CopyOnWriteArrayList<>();
					for (MeterRegistry registry : this.registries) {
						timers.add(latencyTimer(clientMeters, registry));
					}
					clientMeters.latency = timers;
				}
			}
		}
		for (Timer timer : timers) {
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	private static Timer latencyTimer(ClientMeters clientMeters, MeterRegistry registry) {
		Timer timer = Timer.builder("ws.client.latency")
			.tags(clientMeters.state.tags)
			.description("Ping to pong round trip")
			.register(registry);
		clientMeters.meters.add(timer);
		return timer;
	}

	private static void requests(List<Meter> meters, MeterRegistry registry, Tags tags, WsRequestTimings timings) {
		for (WsRequestTimings.Outcome outcome : WsRequestTimings.Outcome.values()) {
			meters.add(FunctionTimer
				.builder("ws.client.requests", timings, (t) -> t.count(outcome), (t) -> t.totalNanos(outcome),
						TimeUnit.NANOSECONDS)
				.tags(tags.and("outcome", outcome.tag()))
				.description("Requests sent with request(), until their reply, error, timeout or lost connection")
				.register(registry));
		}
	}

	/**
	 * Register the counters and the latency timer of a client that became non-zero since
	 * the last look (called when a registry reads the client's connections gauge).
	 */
	private void registerUsed(Snapshots snapshots, WsClientSnapshot snapshot) {
		if ((used(snapshot) & ~snapshots.registered) == 0) {
			return;
		}
		synchronized (this) {
			ClientMeters clientMeters = this.meters.get(snapshots.client);
			if (clientMeters != null && clientMeters.state == snapshots) {
				registerUsed(clientMeters, snapshot);
			}
		}
	}

	private void registerUsed(ClientMeters clientMeters, WsClientSnapshot snapshot) {
		int wanted = used(snapshot) & ~clientMeters.state.registered;
		if (wanted != 0) {
			register(clientMeters, wanted, this.registries);
			clientMeters.state.registered |= wanted;
		}
	}

	private static void register(ClientMeters clientMeters, int kinds, List<MeterRegistry> registries) {
		for (int kind = 0; kind < COUNTERS.size(); kind++) {
			if ((kinds & (1 << kind)) != 0) {
				Counter counter = COUNTERS.get(kind);
				for (MeterRegistry registry : registries) {
					clientMeters.meters.add(counter.register(clientMeters.state, registry));
				}
			}
		}
		if ((kinds & HEARTBEAT) != 0) {
			for (MeterRegistry registry : registries) {
				clientMeters.meters.add(FunctionTimer
					.builder("ws.client.heartbeat", clientMeters.state, (s) -> s.get().protocol().heartbeats(),
							(s) -> s.get().protocol().heartbeatTotal().toNanos(), TimeUnit.NANOSECONDS)
					.tags(clientMeters.state.tags)
					.description("Protocol heartbeat to acknowledgement")
					.register(registry));
			}
		}
	}

	/**
	 * Bit {@code i} for each non-zero counter of {@link #COUNTERS}, and
	 * {@link #HEARTBEAT}.
	 */
	private static int used(WsClientSnapshot snapshot) {
		int used = 0;
		for (int kind = 0; kind < COUNTERS.size(); kind++) {
			if (COUNTERS.get(kind).value.applyAsLong(snapshot) != 0) {
				used |= 1 << kind;
			}
		}
		return (snapshot.protocol().heartbeats() != 0) ? used | HEARTBEAT : used;
	}

	@Override
	public synchronized void destroy() {
		this.clients.removeRegistrationListener(this);
		this.meters.keySet().forEach((client) -> this.clients.recordLatency(client.name(), null));
		for (MeterRegistry registry : this.registries) {
			this.meters.values().forEach((meters) -> meters.meters.forEach(registry::remove));
		}
		this.meters.clear();
		this.registries.clear();
	}

	/** A client's meters and their state, held strongly here while the meters exist. */
	private static final class ClientMeters {

		final Snapshots state;

		final List<Meter> meters;

		/**
		 * The latency timers, one per registry, once the first round trip was measured.
		 */
		volatile @Nullable List<Timer> latency;

		ClientMeters(Snapshots state, List<Meter> meters) {
			this.state = state;
			this.meters = meters;
		}

	}

	/** The state of a client's function meters. */
	private static final class Snapshots {

		final WsClientMetrics metrics;

		final WsClient client;

		final Tags tags;

		/**
		 * Which of the lazily registered meters exist (written under the binder's lock).
		 */
		volatile int registered;

		Snapshots(WsClientMetrics metrics, WsClient client) {
			this.metrics = metrics;
			this.client = client;
			this.tags = Tags.of("client", client.name());
		}

		WsClientSnapshot get() {
			return this.client.snapshot().orElseThrow();
		}

	}

	/** A function counter of every client, registered once non-zero. */
	private record Counter(String name, @Nullable String type, ToLongFunction<WsClientSnapshot> value,
			String description, @Nullable String baseUnit) {

		Meter register(Snapshots snapshots, MeterRegistry registry) {
			FunctionCounter.Builder<Snapshots> builder = FunctionCounter
				.builder(this.name, snapshots, (s) -> this.value.applyAsLong(s.get()))
				.tags((this.type != null) ? snapshots.tags.and("type", this.type) : snapshots.tags)
				.description(this.description);
			if (this.baseUnit != null) {
				builder.baseUnit(this.baseUnit);
			}
			return builder.register(registry);
		}

	}

}
