package dev.wsboot.listener;

import java.lang.reflect.Method;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which threads run {@code @WsListener} methods: the client's listener threads, never a
 * transport I/O thread, and virtual threads when
 * {@code spring.threads.virtual.enabled=true} on Java 21 or later.
 */
class WsListenerThreadsIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.feed.url=" + server.url("/feed"))
		.withUserConfiguration(ThreadRecorder.class);

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@Test
	void listenersRunOnListenerThreadsNotOnTransportThreads() {
		server.onConnect((connection) -> connection.sendText("hello"));
		this.contextRunner.run((context) -> {
			Thread thread = context.getBean(ThreadRecorder.class).threads.await(1).get(0);
			assertThat(thread.getName()).startsWith("ws-listener-");
			assertThat(isVirtual(thread)).isFalse();
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void listenersRunOnVirtualThreadsWhenVirtualThreadsAreEnabled() {
		server.onConnect((connection) -> connection.sendText("hello"));
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			Thread thread = context.getBean(ThreadRecorder.class).threads.await(1).get(0);
			assertThat(isVirtual(thread)).as("listener thread %s is virtual", thread).isTrue();
			assertThat(thread.getName()).startsWith("ws-listener-");
		});
	}

	/**
	 * {@code Thread.isVirtual()} through reflection: this module compiles for Java 17.
	 */
	private static boolean isVirtual(Thread thread) {
		Method isVirtual = ReflectionUtils.findMethod(Thread.class, "isVirtual");
		return isVirtual != null && (boolean) ReflectionUtils.invokeMethod(isVirtual, thread);
	}

	static class ThreadRecorder {

		final Inbox<Thread> threads = new Inbox<>();

		@WsListener("feed")
		void onText(String text) {
			this.threads.add(Thread.currentThread());
		}

	}

}
