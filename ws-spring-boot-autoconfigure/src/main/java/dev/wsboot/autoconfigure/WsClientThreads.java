package dev.wsboot.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads the managed clients share: one timer thread (pings, idle deadlines, reconnect
 * delays; its tasks never block) and the listener executor (platform threads reused across
 * clients, or virtual threads when {@code spring.threads.virtual.enabled=true} on Java 21+).
 * Not exposed as {@code Executor} beans, so Boot's own task executor does not back off.
 */
final class WsClientThreads implements AutoCloseable {

	private final ScheduledThreadPoolExecutor scheduler;

	private final Executor listenerExecutor;

	WsClientThreads(boolean virtual) {
		CustomizableThreadFactory timerThreads = new CustomizableThreadFactory("ws-timer-");
		timerThreads.setDaemon(true);
		this.scheduler = new ScheduledThreadPoolExecutor(1, timerThreads);
		this.scheduler.setRemoveOnCancelPolicy(true);
		if (virtual) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("ws-listener-");
			executor.setVirtualThreads(true);
			this.listenerExecutor = executor;
		}
		else {
			CustomizableThreadFactory listenerThreads = new CustomizableThreadFactory("ws-listener-");
			listenerThreads.setDaemon(true);
			this.listenerExecutor = Executors.newCachedThreadPool(listenerThreads);
		}
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	Executor listenerExecutor() {
		return this.listenerExecutor;
	}

	@Override
	public void close() throws InterruptedException {
		this.scheduler.shutdownNow();
		if (this.listenerExecutor instanceof ExecutorService executor) {
			executor.shutdown();
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
	}

}
