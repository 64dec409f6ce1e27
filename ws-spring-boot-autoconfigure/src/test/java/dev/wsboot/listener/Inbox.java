package dev.wsboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;

/**
 * What a listener received, in order, with a bounded wait for it.
 *
 * @param <T> the item type
 */
final class Inbox<T> {

	private final List<T> items = new CopyOnWriteArrayList<>();

	void add(T item) {
		this.items.add(item);
	}

	List<T> items() {
		return List.copyOf(this.items);
	}

	/**
	 * Wait (at most 10 seconds) until at least {@code count} items arrived.
	 * @param count the number of items
	 * @return every item received so far
	 */
	List<T> await(int count) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.items.size() >= count);
		return items();
	}

}
