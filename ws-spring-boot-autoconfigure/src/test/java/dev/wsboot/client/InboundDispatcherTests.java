package dev.wsboot.client;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InboundDispatcher} and its {@link InboundBudget}: order, one message
 * at a time, the bounded hand-off that pauses the producer, and lifecycle tasks that
 * never wait. Listeners run on a real thread pool, the producer on a thread of its own.
 */
class InboundDispatcherTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ExecutorService listenerThreads = Executors.newCachedThreadPool();

	private final ExecutorService producer = Executors.newSingleThreadExecutor();

	private final WsClient client = (WsClient) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { WsClient.class },
			(proxy, method, args) -> method.getName().equals("name") ? "feed" : null);

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.producer.shutdownNow();
		this.listenerThreads.shutdownNow();
		this.listenerThreads.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void messagesReachListenersInSubmissionOrderOneAtATime() {
		InboundDispatcher dispatcher = dispatcher(16, 1024 * 1024);
		List<String> received = new CopyOnWriteArrayList<>();
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		WsMessageListener listener = (message, client) -> {
			if (inside.incrementAndGet() > 1) {
				overlaps.incrementAndGet();
			}
			received.add(message.text());
			inside.decrementAndGet();
		};
		this.producer.execute(() -> {
			for (int i = 0; i < 20_000; i++) {
				dispatcher.submitMessage(WsMessage.text(Integer.toString(i), true), List.of(listener), 8,
						UnpausableSource.OPEN);
			}
		});
		await().atMost(TIMEOUT).until(() -> received.size() == 20_000);
		for (int i = 0; i < 20_000; i++) {
			assertThat(received.get(i)).isEqualTo(Integer.toString(i));
		}
		assertThat(overlaps).hasValue(0);
	}

	@Test
	void aBusyFeedThatTheListenerKeepsUpWithIsDrainedWithoutAHandOffPerMessage() {
		AtomicInteger drains = new AtomicInteger();
		InboundDispatcher dispatcher = new InboundDispatcher(this.client, (task) -> {
			drains.incrementAndGet();
			this.listenerThreads.execute(task);
		}, new InboundBudget(16, 1024 * 1024), Duration.ZERO);
		List<String> received = new CopyOnWriteArrayList<>();
		AtomicInteger count = new AtomicInteger();
		WsMessageListener listener = (message, client) -> {
			received.add(message.text());
			count.incrementAndGet();
		};
		int messages = 2_000;
		this.producer.execute(() -> {
			for (int i = 0; i < messages; i++) {
				dispatcher.submitMessage(WsMessage.text(Integer.toString(i), true), List.of(listener), 8,
						UnpausableSource.OPEN);
				// the next one only once the listener caught up, as a fast listener does
				while (count.get() <= i) {
					Thread.onSpinWait();
				}
			}
		});
		await().atMost(TIMEOUT).until(() -> received.size() == messages);
		for (int i = 0; i < messages; i++) {
			assertThat(received.get(i)).isEqualTo(Integer.toString(i));
		}
		assertThat(drains.get()).isLessThan(messages / 2);
	}

	@Test
	void withASpinAFeedSlowerThanTheBusyFeedLingerKeepsTheListenerThread() {
		int messages = 200;
		// 1 ms between a message's delivery and the next: each starts a drain of its own
		// unless the drain spins
		assertThat(drainsFor(messages, Duration.ZERO, 1_000_000)).isGreaterThan(messages * 3 / 4);
		assertThat(drainsFor(messages, Duration.ofMillis(10), 1_000_000)).isLessThan(messages / 4);
	}

	private int drainsFor(int messages, Duration spin, long gapNanos) {
		AtomicInteger drains = new AtomicInteger();
		InboundDispatcher dispatcher = new InboundDispatcher(this.client, (task) -> {
			drains.incrementAndGet();
			this.listenerThreads.execute(task);
		}, new InboundBudget(16, 1024 * 1024), spin);
		List<String> received = new CopyOnWriteArrayList<>();
		WsMessageListener listener = (message, client) -> received.add(message.text());
		this.producer.execute(() -> {
			for (int i = 0; i < messages; i++) {
				while (received.size() < i) {
					Thread.onSpinWait();
				}
				// then paced, not waiting for anything: the gap before the next reply
				long next = System.nanoTime() + gapNanos;
				while (System.nanoTime() < next) {
					Thread.onSpinWait();
				}
				dispatcher.submitMessage(WsMessage.text(Integer.toString(i), true), List.of(listener), 8,
						UnpausableSource.OPEN);
			}
		});
		await().atMost(TIMEOUT).until(() -> received.size() == messages);
		for (int i = 0; i < messages; i++) {
			assertThat(received.get(i)).isEqualTo(Integer.toString(i));
		}
		return drains.get();
	}

	@Test
	void aFullHandOffPausesTheProducerUntilTheListenerCatchesUp() {
		InboundDispatcher dispatcher = dispatcher(4, 1024 * 1024);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger delivered = new AtomicInteger();
		AtomicInteger submitted = new AtomicInteger();
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			delivered.incrementAndGet();
		};
		this.producer.execute(() -> {
			for (int i = 0; i < 10; i++) {
				dispatcher.submitMessage(WsMessage.text("m" + i, true), List.of(listener), 8, UnpausableSource.OPEN);
				submitted.incrementAndGet();
			}
		});
		await().atMost(TIMEOUT).until(dispatcher::isReadingPaused);
		// four in the hand-off (the first of them in the listener): the fifth waits
		assertThat(submitted).hasValue(4);
		assertThat(delivered).hasValue(0);
		release.countDown();
		await().atMost(TIMEOUT).until(() -> delivered.get() == 10);
		assertThat(submitted).hasValue(10);
		assertThat(dispatcher.isReadingPaused()).isFalse();
	}

	@Test
	void aProducerThatWaitedForRoomCountsAsReadingResumedWhenItGoesOn() {
		InboundDispatcher dispatcher = dispatcher(1, 1024 * 1024);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger delivered = new AtomicInteger();
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			delivered.incrementAndGet();
		};
		this.producer.execute(() -> {
			for (int i = 0; i < 2; i++) {
				dispatcher.submitMessage(WsMessage.text("m" + i, true), List.of(listener), 8, UnpausableSource.OPEN);
			}
		});
		await().atMost(TIMEOUT).until(dispatcher::isReadingPaused);
		long waiting = System.nanoTime();
		release.countDown();
		await().atMost(TIMEOUT).until(() -> delivered.get() == 2);
		// the liveness watchdog must not count the wait as the peer's silence
		assertThat(dispatcher.readingResumedNanos() - waiting).isPositive();
	}

	@Test
	void aFullHandOffByBytesPausesTheProducerButAMessageLargerThanTheBudgetStillGoesAlone() {
		InboundDispatcher dispatcher = dispatcher(1024, 100);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger submitted = new AtomicInteger();
		List<String> received = new CopyOnWriteArrayList<>();
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			received.add(message.text());
		};
		this.producer.execute(() -> {
			dispatcher.submitMessage(WsMessage.text("huge", true), List.of(listener), 500, UnpausableSource.OPEN);
			submitted.incrementAndGet();
			dispatcher.submitMessage(WsMessage.text("small", true), List.of(listener), 10, UnpausableSource.OPEN);
			submitted.incrementAndGet();
		});
		await().atMost(TIMEOUT).until(dispatcher::isReadingPaused);
		assertThat(submitted).hasValue(1);
		release.countDown();
		await().atMost(TIMEOUT).until(() -> received.size() == 2);
		assertThat(received).containsExactly("huge", "small");
	}

	@Test
	void aProducerWaitingForRoomStopsWaitingWhenItsConnectionEndsAndDropsTheMessage() {
		InboundDispatcher dispatcher = dispatcher(1, 1024 * 1024);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean ended = new AtomicBoolean();
		AtomicInteger submitted = new AtomicInteger();
		List<String> received = new CopyOnWriteArrayList<>();
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			received.add(message.text());
		};
		this.producer.execute(() -> {
			dispatcher.submitMessage(WsMessage.text("m0", true), List.of(listener), 8,
					new UnpausableSource(ended::get));
			dispatcher.submitMessage(WsMessage.text("m1", true), List.of(listener), 8,
					new UnpausableSource(ended::get));
			submitted.incrementAndGet();
		});
		await().atMost(TIMEOUT).until(dispatcher::isReadingPaused);
		ended.set(true);
		dispatcher.connectionEnded();
		// the listener is still stuck, the transport thread is free again
		await().atMost(TIMEOUT).until(() -> submitted.get() == 1);
		assertThat(dispatcher.isReadingPaused()).isFalse();
		release.countDown();
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		assertThat(received).containsExactly("m0");
	}

	@Test
	void lifecycleTasksNeverWaitAndRunInOrderAfterEarlierMessages() {
		InboundDispatcher dispatcher = dispatcher(2, 1024 * 1024);
		CountDownLatch release = new CountDownLatch(1);
		List<String> events = new CopyOnWriteArrayList<>();
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			events.add(message.text());
		};
		dispatcher.submitMessage(WsMessage.text("m0", true), List.of(listener), 8, UnpausableSource.OPEN);
		dispatcher.submitMessage(WsMessage.text("m1", true), List.of(listener), 8, UnpausableSource.OPEN);
		// the hand-off is full now; a lifecycle task still goes in at once
		dispatcher.submit(() -> events.add("closed"));
		assertThat(events).isEmpty();
		release.countDown();
		await().atMost(TIMEOUT).until(() -> events.size() == 3);
		assertThat(events).containsExactly("m0", "m1", "closed");
	}

	@Test
	void aFullHandOffPausesReadingOfASourceThatCanPauseWithoutHoldingTheThreadAndResumesAtHalf() {
		InboundDispatcher dispatcher = dispatcher(8, 1024 * 1024);
		CountDownLatch release = new CountDownLatch(1);
		List<String> received = new CopyOnWriteArrayList<>();
		PausableSource source = new PausableSource();
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			received.add(message.text());
		};
		// on the test thread: a wait would hang the test
		for (int i = 0; i < 12; i++) {
			dispatcher.submitMessage(WsMessage.text("m" + i, true), List.of(listener), 8, source);
		}
		// asked for each of the four messages past the budget, none of which waited
		assertThat(source.pauses).hasValue(4);
		assertThat(source.paused).isTrue();
		assertThat(dispatcher.isReadingPaused()).isTrue();
		release.countDown();
		await().atMost(TIMEOUT).until(() -> received.size() == 12);
		assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11");
		assertThat(source.paused).isFalse();
		assertThat(source.resumes).hasValue(1);
		assertThat(dispatcher.isReadingPaused()).isFalse();
	}

	@Test
	void aSourceThatKeepsDeliveringPastTheOverflowIsHeldUntilThereIsRoom() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger submitted = new AtomicInteger();
		List<String> received = new CopyOnWriteArrayList<>();
		PausableSource source = new PausableSource();
		submitBehindAStalledListener(10, source, release, submitted, received);
		// the budget (4) and the overflow (another 4) are handed over, the ninth waits
		await().atMost(TIMEOUT).until(() -> submitted.get() == 8);
		assertThat(submitted).hasValue(8);
		release.countDown();
		await().atMost(TIMEOUT).until(() -> received.size() == 10);
		assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
	}

	@Test
	void anEventLoopIsNeverHeldAndHandsOverTheRestOfItsReadPastTheOverflow() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger submitted = new AtomicInteger();
		List<String> received = new CopyOnWriteArrayList<>();
		PausableSource source = new PausableSource(true);
		InboundDispatcher dispatcher = submitBehindAStalledListener(20, source, release, submitted, received);
		// the budget (4) and the overflow (another 4) would hold any other thread at 8
		await().atMost(TIMEOUT).until(() -> submitted.get() == 20);
		assertThat(source.paused).isTrue();
		assertThat(dispatcher.isReadingPaused()).isTrue();
		release.countDown();
		await().atMost(TIMEOUT).until(() -> received.size() == 20);
		for (int i = 0; i < 20; i++) {
			assertThat(received.get(i)).isEqualTo("m" + i);
		}
		await().atMost(TIMEOUT).until(() -> !source.paused);
	}

	/**
	 * Submit messages {@code m0, m1, ...} from the producer thread to a dispatcher with a
	 * budget of 4 messages, whose listener waits for {@code release}.
	 */
	private InboundDispatcher submitBehindAStalledListener(int count, PausableSource source, CountDownLatch release,
			AtomicInteger submitted, List<String> received) {
		InboundDispatcher dispatcher = dispatcher(4, 1024 * 1024);
		WsMessageListener listener = (message, client) -> {
			awaitRelease(release);
			received.add(message.text());
		};
		this.producer.execute(() -> {
			for (int i = 0; i < count; i++) {
				dispatcher.submitMessage(WsMessage.text("m" + i, true), List.of(listener), 8, source);
				submitted.incrementAndGet();
			}
		});
		return dispatcher;
	}

	/** A dispatcher on the listener threads, with a budget of its own and no spin. */
	private InboundDispatcher dispatcher(int maxMessages, long maxBytes) {
		return new InboundDispatcher(this.client, this.listenerThreads, new InboundBudget(maxMessages, maxBytes),
				Duration.ZERO);
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A source whose reading pauses, recording what was asked of it. */
	private final class PausableSource implements InboundBudget.Source {

		/** Whether it stands for an event loop, which must never be held. */
		private final boolean eventLoop;

		final AtomicInteger pauses = new AtomicInteger();

		final AtomicInteger resumes = new AtomicInteger();

		volatile boolean paused;

		@Override
		public boolean hasEnded() {
			return false;
		}

		@Override
		public boolean pauseReading() {
			this.pauses.incrementAndGet();
			this.paused = true;
			return true;
		}

		PausableSource() {
			this(false);
		}

		PausableSource(boolean eventLoop) {
			this.eventLoop = eventLoop;
		}

		@Override
		public void resumeReading() {
			this.resumes.incrementAndGet();
			this.paused = false;
		}

		@Override
		public boolean mayHoldReader() {
			return !this.eventLoop;
		}

	}

}
