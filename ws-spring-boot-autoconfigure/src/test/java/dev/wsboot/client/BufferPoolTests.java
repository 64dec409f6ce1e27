package dev.wsboot.client;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BufferPool}: buffers are reused once given back, never handed out
 * twice at once, bounded per size class, and large messages are not pooled.
 */
class BufferPoolTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final ExecutorService listenerThreads = Executors.newCachedThreadPool();

	private final WsClient client = (WsClient) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { WsClient.class },
			(proxy, method, args) -> method.getName().equals("name") ? "feed" : null);

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.listenerThreads.shutdownNow();
		this.listenerThreads.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void aBufferGivenBackIsReusedForTheNextMessageOfItsSizeClass() {
		BufferPool pool = new BufferPool(1024 * 1024);
		ByteBuffer first = pool.acquire(1000);
		assertThat(first.capacity()).isEqualTo(1024);
		pool.release(first);
		ByteBuffer second = pool.acquire(1024);
		assertThat(second).isSameAs(first);
		assertThat(second.position()).isZero();
		assertThat(second.limit()).isEqualTo(1024);
		assertThat(pool.acquire(1025).capacity()).isEqualTo(2048);
	}

	@Test
	void aBufferInUseIsNotHandedOutAgain() {
		BufferPool pool = new BufferPool(1024 * 1024);
		ByteBuffer first = pool.acquire(100);
		ByteBuffer second = pool.acquire(100);
		assertThat(second).isNotSameAs(first);
	}

	@Test
	void idleBuffersAreBoundedPerSizeClassAndLargeMessagesAreNotPooled() {
		BufferPool pool = new BufferPool(1024 * 1024);
		ByteBuffer[] buffers = new ByteBuffer[BufferPool.idleCapacity(512) + 4];
		for (int i = 0; i < buffers.length; i++) {
			buffers[i] = pool.acquire(512);
		}
		for (ByteBuffer buffer : buffers) {
			pool.release(buffer);
		}
		long created = pool.created();
		for (int i = 0; i < buffers.length; i++) {
			pool.acquire(512);
		}
		// only 256 KiB of 1 KiB buffers were kept: the others are created again
		assertThat(pool.created() - created).isEqualTo(4);
		assertThat(pool.isPooled(16 * 1024)).isTrue();
		assertThat(pool.isPooled(16 * 1024 + 1)).isFalse();
		ByteBuffer large = pool.acquire(100_000);
		pool.release(large);
		assertThat(pool.acquire(100_000)).isNotSameAs(large);
	}

	@Test
	void aSmallMaxMessageSizeStillPoolsItsLargestMessages() {
		BufferPool pool = new BufferPool(3000);
		ByteBuffer buffer = pool.acquire(3000);
		pool.release(buffer);
		assertThat(pool.acquire(2500)).isSameAs(buffer);
	}

	@Test
	void aPooledMessageThatAShutDownExecutorRefusesGoesBackToThePool() {
		BufferPool pool = new BufferPool(1024 * 1024);
		InboundDispatcher dispatcher = new InboundDispatcher(this.client, (task) -> {
			throw new RejectedExecutionException("shut down");
		}, new InboundBudget(16, 1024 * 1024), Duration.ZERO);
		ByteBuffer buffer = pool.acquire(1024);
		dispatcher.submitMessage(WsMessage.pooledBinary(buffer, pool), List.of((message, client) -> {
		}), 1024, UnpausableSource.OPEN);
		assertThat(pool.acquire(1024)).isSameAs(buffer);
	}

	@Test
	void pooledMessagesAreReusedAcrossTheHandOffButABufferIsNeverHandedOutWhileAListenerHasIt() {
		BufferPool pool = new BufferPool(1024 * 1024);
		InboundDispatcher dispatcher = new InboundDispatcher(this.client, this.listenerThreads,
				new InboundBudget(16, 1024 * 1024), Duration.ZERO);
		Set<ByteBuffer> outstanding = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
		Map<WsMessage, ByteBuffer> buffers = Collections.synchronizedMap(new IdentityHashMap<>());
		AtomicInteger handedOutTwice = new AtomicInteger();
		AtomicInteger corrupted = new AtomicInteger();
		AtomicInteger received = new AtomicInteger();
		int messages = 20_000;
		// uses the bytes during its call only, checking them at the start and at the end
		WsMessageListener first = (message, client) -> {
			ByteBuffer data = message.binary();
			int sequence = data.getInt(0);
			if (sequence != received.get()) {
				corrupted.incrementAndGet();
			}
			Thread.yield();
			if (data.getInt(1020) != sequence) {
				corrupted.incrementAndGet();
			}
		};
		// a second listener of the same message: the buffer is given back only after both
		WsMessageListener second = (message, client) -> {
			ByteBuffer data = message.binary();
			if (data.getInt(0) != received.get()) {
				corrupted.incrementAndGet();
			}
			outstanding.remove(buffers.remove(message));
			received.incrementAndGet();
		};
		for (int i = 0; i < messages; i++) {
			ByteBuffer buffer = pool.acquire(1024);
			if (!outstanding.add(buffer)) {
				handedOutTwice.incrementAndGet();
			}
			buffer.putInt(0, i).putInt(1020, i).limit(1024);
			WsMessage message = WsMessage.pooledBinary(buffer, pool);
			buffers.put(message, buffer);
			dispatcher.submitMessage(message, List.of(first, second), 1024, UnpausableSource.OPEN);
		}
		await().atMost(TIMEOUT).until(() -> received.get() == messages);
		assertThat(handedOutTwice).hasValue(0);
		assertThat(corrupted).hasValue(0);
		// the hand-off holds at most 16 messages: buffers are created for those in
		// flight, not
		// once per message
		assertThat(pool.created()).isLessThanOrEqualTo(17);
	}

}
