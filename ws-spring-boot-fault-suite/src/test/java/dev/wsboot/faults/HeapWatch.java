package dev.wsboot.faults;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Watches the heap through the JVM's garbage collection notifications: after every
 * collection it takes the heap still in use, an upper bound of what the application
 * retained at that moment (young collections leave old garbage in place). The largest
 * such value over a test is what the test held on to, whatever passed through it.
 */
final class HeapWatch implements AutoCloseable {

	static final long MB = 1024 * 1024;

	private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.map((pool) -> pool.getName())
		.collect(Collectors.toSet());

	private final AtomicLong maxAfterGc = new AtomicLong();

	private final AtomicLong collections = new AtomicLong();

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private final NotificationListener listener = this::onNotification;

	private HeapWatch() {
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (collector instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(this.listener, null, null);
				this.emitters.add(emitter);
			}
		}
	}

	/**
	 * Start watching.
	 * @return the watch; close it to stop
	 */
	static HeapWatch start() {
		return new HeapWatch();
	}

	/**
	 * The heap in use after a full collection, right now.
	 * @return bytes
	 */
	static long retainedNow() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * The most heap found in use after any collection since the watch started.
	 * @return bytes
	 */
	long maxAfterCollection() {
		return this.maxAfterGc.get();
	}

	/**
	 * How many collections ran since the watch started.
	 * @return the count
	 */
	long collections() {
		return this.collections.get();
	}

	/**
	 * The maximum heap the JVM may use ({@code -Xmx}).
	 * @return bytes
	 */
	static long maxHeap() {
		return Runtime.getRuntime().maxMemory();
	}

	@Override
	public void close() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this.listener);
			}
			catch (ListenerNotFoundException ex) {
				// already gone
			}
		}
	}

	private void onNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
			if (this.heapPools.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		this.collections.incrementAndGet();
		long afterGc = used;
		this.maxAfterGc.accumulateAndGet(afterGc, Math::max);
	}

}
