package dev.wsboot.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.springframework.context.event.EventListener;

import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;
import dev.wsboot.client.event.WsClientReconnectingEvent;

import static org.awaitility.Awaitility.await;

/**
 * A bean that records every lifecycle event of every client, with the
 * {@link System#nanoTime()} at which it was published.
 */
final class RecordedEvents {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<Recorded> events = new CopyOnWriteArrayList<>();

	@EventListener
	void on(WsClientEvent event) {
		this.events.add(new Recorded(event, System.nanoTime()));
	}

	List<WsClientEvent> all() {
		return this.events.stream().map(Recorded::event).toList();
	}

	<T extends WsClientEvent> List<T> of(Class<T> type) {
		return this.events.stream().map(Recorded::event).filter(type::isInstance).map(type::cast).toList();
	}

	List<WsClientOpenedEvent> opened() {
		return of(WsClientOpenedEvent.class);
	}

	List<WsClientClosedEvent> closed() {
		return of(WsClientClosedEvent.class);
	}

	List<WsClientFailedEvent> failed() {
		return of(WsClientFailedEvent.class);
	}

	List<WsClientReconnectingEvent> reconnecting() {
		return of(WsClientReconnectingEvent.class);
	}

	/** When the first event of the type that matches was published. */
	<T extends WsClientEvent> long nanosOf(Class<T> type, Predicate<T> predicate) {
		return this.events.stream()
			.filter((recorded) -> type.isInstance(recorded.event()) && predicate.test(type.cast(recorded.event())))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No matching " + type.getSimpleName() + " in " + all()))
			.nanos();
	}

	/** When each event of the type that matches was published, in order. */
	<T extends WsClientEvent> List<Long> allNanosOf(Class<T> type, Predicate<T> predicate) {
		return this.events.stream()
			.filter((recorded) -> type.isInstance(recorded.event()) && predicate.test(type.cast(recorded.event())))
			.map(Recorded::nanos)
			.toList();
	}

	WsClientClosedEvent awaitClosed() {
		await().atMost(TIMEOUT).until(() -> !closed().isEmpty());
		return closed().get(0);
	}

	void awaitOpened(int count) {
		await().atMost(TIMEOUT).until(() -> opened().size() >= count);
	}

	WsClientFailedEvent awaitFailed() {
		await().atMost(TIMEOUT).until(() -> !failed().isEmpty());
		return failed().get(0);
	}

	@Override
	public String toString() {
		return all().toString();
	}

	private record Recorded(WsClientEvent event, long nanos) {
	}

}
