package dev.wsboot.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;

import dev.wsboot.client.event.WsClientClosedEvent;
import dev.wsboot.client.event.WsClientEvent;
import dev.wsboot.client.event.WsClientFailedEvent;
import dev.wsboot.client.event.WsClientOpenedEvent;

/**
 * A bean that records every lifecycle event of every client with the
 * {@link System#nanoTime()} at which it was published.
 */
final class ClientEvents {

	private final List<Recorded> events = new CopyOnWriteArrayList<>();

	@EventListener
	void on(WsClientEvent event) {
		this.events.add(new Recorded(event, System.nanoTime()));
	}

	/**
	 * The events of one type published for one client, in order.
	 * @param <T> the event type
	 * @param type the event type
	 * @param client the client's name
	 * @return the recorded events
	 */
	<T extends WsClientEvent> List<Recorded> of(Class<T> type, String client) {
		return this.events.stream()
			.filter((recorded) -> type.isInstance(recorded.event()) && recorded.event().client().name().equals(client))
			.toList();
	}

	int opened(String client) {
		return of(WsClientOpenedEvent.class, client).size();
	}

	int failed(String client) {
		return of(WsClientFailedEvent.class, client).size();
	}

	List<Recorded> closed(String client) {
		return of(WsClientClosedEvent.class, client);
	}

	@Override
	public String toString() {
		return this.events.stream().map(Recorded::event).toList().toString();
	}

	/**
	 * An event and when it was published.
	 *
	 * @param event the event
	 * @param nanos {@link System#nanoTime()} at publication
	 */
	record Recorded(WsClientEvent event, long nanos) {

		<T extends WsClientEvent> T as(Class<T> type) {
			return type.cast(this.event);
		}

	}

}
