package dev.wsboot.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads the managed clients share: one timer thread (pings, idle deadlines,
 * reconnect delays; its tasks never block) and the listener executor (platform threads
 * reused across clients: as many as processors, at least two, kept; more only while all
 * are busy, ended after 10 s idle; or virtual threads when
 * {@code spring.threads.virtual.enabled=true} on Java 21+). Not exposed as
 * {@code Executor} beans, so Boot's own task executor does not back off.
 */
final class WsClientThreads implements AutoCloseable {

	private static final long LISTENER_KEEP_ALIVE_SECONDS = 10;

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
			// a few threads stay; more are started only while every one is busy (a
			// listener
			// that blocks must not hold up other clients' listeners) and end after a
			// short idle
			int core = Math.max(2, Runtime.getRuntime().availableProcessors());
			this.listenerExecutor = new ThreadPoolExecutor(core, Integer.MAX_VALUE, LISTENER_KEEP_ALIVE_SECONDS,
					TimeUnit.SECONDS, new SynchronousQueue<>(), listenerThreads);
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
