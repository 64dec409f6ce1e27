package dev.wsboot.metrics;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
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
import dev.wsboot.client.WsTimingRecorder;

/**
 * Binds the {@code ws.client.*} meters of every managed client, tagged {@code client}.
 * The two gauges exist from the client's start. The counters are read from the client's
 * counters when the registry polls, so the message path does no meter work; each is
 * registered once it is non-zero, noticed when a registry reads the client's
 * {@code ws.client.connections} gauge (an idle client of a fleet of thousands costs two
 * gauges, not ten meters). The timers ({@code ws.client.latency},
 * {@code ws.client.heartbeat}, {@code ws.client.requests}) record each duration as the
 * client measures it, so {@code management.metrics.distribution.*} (percentiles,
 * histograms, SLOs) applies to them; each is registered by its first recording. A client
 * created at run time gets its meters when it is created and loses them when it is
 * removed; all are removed when the binder (with the clients) is destroyed.
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
	 * The meters registered once used: the counters (once non-zero), then the timers (by
	 * their first recording); bit {@code i} of {@link ClientMeters#registered} is
	 * {@code LAZY.get(i)}.
	 */
	private static final List<LazyMeter> LAZY = lazyMeters();

	/** The index in {@link #LAZY} of the first timer (the counters come first). */
	private static final int TIMERS = (int) LAZY.stream().filter((meter) -> meter.value() != null).count();

	private static final int LATENCY = TIMERS;

	private static final int HEARTBEAT = TIMERS + 1;

	private static final int REQUESTS = TIMERS + 2;

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

	private static List<LazyMeter> lazyMeters() {
		List<LazyMeter> meters = new ArrayList<>();
		meters.add(LazyMeter.counter("ws.client.messages.received", "type", "text",
				WsClientSnapshot::textMessagesReceived, "Text messages received", null));
		meters.add(LazyMeter.counter("ws.client.messages.received", "type", "binary",
				WsClientSnapshot::binaryMessagesReceived, "Binary messages received", null));
		meters.add(LazyMeter.counter("ws.client.messages.sent", "type", "text", WsClientSnapshot::textMessagesSent,
				"Text messages written", null));
		meters.add(LazyMeter.counter("ws.client.messages.sent", "type", "binary", WsClientSnapshot::binaryMessagesSent,
				"Binary messages written", null));
		meters.add(LazyMeter.counter("ws.client.bytes.received", null, null, WsClientSnapshot::bytesReceived,
				"Message payload bytes received (after decompression)", BaseUnits.BYTES));
		meters.add(LazyMeter.counter("ws.client.bytes.sent", null, null, WsClientSnapshot::bytesSent,
				"Message payload bytes written", BaseUnits.BYTES));
		meters.add(LazyMeter.counter("ws.client.reconnects", null, null, WsClientSnapshot::reconnects,
				"Reconnect attempts started", null));
		meters.add(LazyMeter.timer("ws.client.latency", null, null, "Ping to pong round trip"));
		meters.add(LazyMeter.timer("ws.client.heartbeat", null, null, "Protocol heartbeat to acknowledgement"));
		// REQUESTS + outcome.ordinal()
		for (WsRequestTimings.Outcome outcome : WsRequestTimings.Outcome.values()) {
			meters.add(LazyMeter.timer("ws.client.requests", "outcome", outcome.tag(),
					"Requests sent with request(), until their reply, error, timeout or lost connection"));
		}
		return List.copyOf(meters);
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
		this.clients.timingRecorder(client, null);
		// the listener observations' meters exist once a message reached a listener
		WsClientSnapshot last = meters.snapshot();
		boolean received = last.textMessagesReceived() + last.binaryMessagesReceived() > 0;
		for (MeterRegistry registry : this.registries) {
			meters.meters.forEach(registry::remove);
			if (received) {
				for (String name : List.of(LISTENER_METER_PREFIX, LISTENER_METER_PREFIX + ".active")) {
					registry.find(name).tag("client", client.name()).meters().forEach(registry::remove);
				}
			}
		}
	}

	private void bind(WsClient client, MeterRegistry registry) {
		if (client.snapshot().isEmpty()) {
			return;
		}
		ClientMeters clientMeters = this.meters.computeIfAbsent(client, (key) -> {
			ClientMeters created = new ClientMeters(this, key);
			this.clients.timingRecorder(key, created);
			return created;
		});
		clientMeters.add(-1,
				Gauge.builder("ws.client.connections", clientMeters, ClientMeters::connections)
					.tags(clientMeters.tags)
					.description("1 when the client's connection is open, else 0")
					.register(registry));
		clientMeters.add(-1,
				Gauge.builder("ws.client.send.buffered", clientMeters, ClientMeters::bufferedBytes)
					.tags(clientMeters.tags)
					.baseUnit(BaseUnits.BYTES)
					.description("Bytes accepted by send but not yet written")
					.register(registry));
		// the meters the client has in the other registries, then any newly used ones
		// everywhere
		register(clientMeters, clientMeters.registered, List.of(registry));
		register(clientMeters, clientMeters.used(clientMeters.snapshot()));
	}

	/**
	 * Register lazy meters of a client in every registry (once each).
	 * @return {@code false} when the client's meters are gone (it was removed)
	 */
	private synchronized boolean register(ClientMeters clientMeters, int kinds) {
		if (this.meters.get(clientMeters.client) != clientMeters) {
			return false;
		}
		int wanted = kinds & ~clientMeters.registered;
		if (wanted != 0) {
			register(clientMeters, wanted, this.registries);
			clientMeters.registered |= wanted;
		}
		return true;
	}

	private static void register(ClientMeters clientMeters, int kinds, List<MeterRegistry> registries) {
		for (int kind = 0; kind < LAZY.size(); kind++) {
			if ((kinds & (1 << kind)) != 0) {
				for (MeterRegistry registry : registries) {
					clientMeters.add(kind, LAZY.get(kind).register(clientMeters, registry));
				}
			}
		}
	}

	@Override
	public synchronized void destroy() {
		this.clients.removeRegistrationListener(this);
		this.meters.keySet().forEach((client) -> this.clients.timingRecorder(client, null));
		for (MeterRegistry registry : this.registries) {
			this.meters.values().forEach((meters) -> meters.meters.forEach(registry::remove));
		}
		this.meters.clear();
		this.registries.clear();
	}

	/**
	 * A client's meters and the state they read, held strongly here while the meters
	 * exist; records the client's timings.
	 */
	private static final class ClientMeters implements WsTimingRecorder {

		final WsClientMetrics binder;

		final WsClient client;

		final Tags tags;

		/**
		 * Every meter of the client in every registry (written under the binder's lock).
		 */
		final List<Meter> meters = new ArrayList<>();

		/** Each timer's meters, one per registry, once registered. */
		final AtomicReferenceArray<List<Timer>> timers = new AtomicReferenceArray<>(LAZY.size() - TIMERS);

		/**
		 * Which of the {@link #LAZY} meters exist (written under the binder's lock).
		 */
		volatile int registered;

		ClientMeters(WsClientMetrics binder, WsClient client) {
			this.binder = binder;
			this.client = client;
			this.tags = Tags.of("client", client.name());
		}

		WsClientSnapshot snapshot() {
			return this.client.snapshot().orElseThrow();
		}

		void add(int kind, Meter meter) {
			this.meters.add(meter);
			if (kind >= TIMERS) {
				List<Timer> timers = this.timers.get(kind - TIMERS);
				if (timers == null) {
					timers = new CopyOnWriteArrayList<>();
					this.timers.set(kind - TIMERS, timers);
				}
				timers.add((Timer) meter);
			}
		}

		/** Bit {@code i} for each non-zero counter of {@link #LAZY}. */
		int used(WsClientSnapshot snapshot) {
			int used = 0;
			for (int kind = 0; kind < TIMERS; kind++) {
				ToLongFunction<WsClientSnapshot> value = LAZY.get(kind).value();
				if (value != null && value.applyAsLong(snapshot) != 0) {
					used |= 1 << kind;
				}
			}
			return used;
		}

		/**
		 * The connections gauge; a read (every publish or scrape does one) also registers
		 * the counters that became non-zero since the last.
		 */
		double connections() {
			WsClientSnapshot snapshot = snapshot();
			int unregistered = used(snapshot) & ~this.registered;
			if (unregistered != 0) {
				this.binder.register(this, unregistered);
			}
			return (snapshot.state() == WsClientState.OPEN) ? 1 : 0;
		}

		double bufferedBytes() {
			return snapshot().bufferedBytes();
		}

		@Override
		public void latency(long nanos) {
			record(LATENCY, nanos);
		}

		@Override
		public void heartbeat(long nanos) {
			record(HEARTBEAT, nanos);
		}

		@Override
		public void request(WsRequestTimings.Outcome outcome, long nanos) {
			record(REQUESTS + outcome.ordinal(), nanos);
		}

		/** Record into a timer; the client's first recording registers it. */
		private void record(int kind, long nanos) {
			if ((this.registered & (1 << kind)) == 0 && !this.binder.register(this, 1 << kind)) {
				return;
			}
			for (Timer timer : this.timers.get(kind - TIMERS)) {
				timer.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

	}

	/**
	 * A meter of every client, registered once used: a function counter when it has a
	 * value, else a timer.
	 */
	private record LazyMeter(String name, Tags tags, @Nullable ToLongFunction<WsClientSnapshot> value,
			String description, @Nullable String baseUnit) {

		static LazyMeter counter(String name, @Nullable String tag, @Nullable String tagValue,
				ToLongFunction<WsClientSnapshot> value, String description, @Nullable String baseUnit) {
			return new LazyMeter(name, tags(tag, tagValue), value, description, baseUnit);
		}

		static LazyMeter timer(String name, @Nullable String tag, @Nullable String tagValue, String description) {
			return new LazyMeter(name, tags(tag, tagValue), null, description, null);
		}

		private static Tags tags(@Nullable String tag, @Nullable String value) {
			return (tag != null && value != null) ? Tags.of(tag, value) : Tags.empty();
		}

		Meter register(ClientMeters clientMeters, MeterRegistry registry) {
			Tags tags = clientMeters.tags.and(this.tags);
			ToLongFunction<WsClientSnapshot> value = this.value;
			if (value == null) {
				return Timer.builder(this.name).tags(tags).description(this.description).register(registry);
			}
			return FunctionCounter.builder(this.name, clientMeters, (meters) -> value.applyAsLong(meters.snapshot()))
				.tags(tags)
				.description(this.description)
				.baseUnit(this.baseUnit)
				.register(registry);
		}

	}

}
