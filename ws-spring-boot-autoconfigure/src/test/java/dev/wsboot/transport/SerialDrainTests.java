package dev.wsboot.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SerialDrain}: runs never overlap, and nothing requested is left
 * behind.
 */
class SerialDrainTests {

	private final ExecutorService threads = Executors.newFixedThreadPool(4);

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.threads.shutdownNow();
		this.threads.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void concurrentRequestsNeverOverlapAndEveryItemIsDrained() throws Exception {
		Queue<Integer> queue = new ConcurrentLinkedQueue<>();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger drained = new AtomicInteger();
		SerialDrain drain = new SerialDrain(() -> {
			if (inside.incrementAndGet() > 1) {
				overlaps.incrementAndGet();
			}
			while (queue.poll() != null) {
				drained.incrementAndGet();
			}
			inside.decrementAndGet();
		});
		int producers = 4;
		int items = 50_000;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> done = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			done.add(this.threads.submit(() -> {
				start.await();
				for (int i = 0; i < items; i++) {
					queue.offer(i);
					drain.request();
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : done) {
			future.get(20, TimeUnit.SECONDS);
		}
		// every request returned: an item offered before it was drained by a run after it
		assertThat(queue).isEmpty();
		assertThat(drained).hasValue(producers * items);
		assertThat(overlaps).hasValue(0);
	}

	@Test
	void aThreadInsideRunsWhatOthersRequestedBeforeItExits() {
		List<String> runs = new ArrayList<>();
		SerialDrain drain = new SerialDrain(() -> runs.add("drain"));
		assertThat(drain.tryEnter()).isTrue();
		assertThat(drain.tryEnter()).isFalse();
		drain.request();
		drain.request();
		assertThat(runs).isEmpty();
		drain.exit();
		// two requests while inside: the drain action runs until it has seen them
		assertThat(runs).isNotEmpty();
		assertThat(drain.tryEnter()).isTrue();
		drain.exit();
	}

	@Test
	void aRefusedExecutorLeavesTheDrainToTheCallerWhichCanReset() {
		AtomicInteger runs = new AtomicInteger();
		SerialDrain drain = new SerialDrain(runs::incrementAndGet);
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> drain.requestOn((task) -> {
			throw new RejectedExecutionException("shut down");
		}));
		// still marked as draining until reset
		assertThat(drain.tryEnter()).isFalse();
		drain.reset();
		drain.requestOn(Runnable::run);
		assertThat(runs).hasValue(1);
	}

}
