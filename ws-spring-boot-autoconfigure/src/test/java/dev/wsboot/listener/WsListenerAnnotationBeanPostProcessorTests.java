package dev.wsboot.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsMessage;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.PriorityOrdered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link WsListenerAnnotationBeanPostProcessor} with proxied beans: the
 * listener is invoked through the proxy, so advice (transactions, security) applies.
 */
class WsListenerAnnotationBeanPostProcessorTests {

	private final RecordingWsClient ticker = new RecordingWsClient("ticker");

	@Test
	void classProxiedListenerIsInvokedThroughItsProxy() {
		try (ListenerTestContext context = ListenerTestContext.of((applicationContext) -> applicationContext
			.registerBean(ProxyingPostProcessor.class, () -> new ProxyingPostProcessor(true)), ClassListener.class)) {
			context.deliver(this.ticker, WsMessage.text("hi", true));
			assertThat(context.bean(ProxyingPostProcessor.class).intercepted).hasValue(1);
			assertThat(context.bean(ClassListener.class).received()).containsExactly("hi");
			assertThat(context.listeners("ticker")).map(Object::toString)
				.containsExactly("@WsListener ClassListener.onText");
		}
	}

	@Test
	void interfaceProxiedListenerIsInvokedThroughItsProxy() {
		try (ListenerTestContext context = ListenerTestContext.of((applicationContext) -> applicationContext
			.registerBean(ProxyingPostProcessor.class, () -> new ProxyingPostProcessor(false)),
				InterfaceListener.class)) {
			context.deliver(this.ticker, WsMessage.text("hi", true));
			assertThat(context.bean(ProxyingPostProcessor.class).intercepted).hasValue(1);
			assertThat(context.listeners("ticker")).map(Object::toString)
				.containsExactly("@WsListener InterfaceListener.onText");
		}
	}

	@Test
	void listenerMethodMissingFromTheProxysInterfacesFailsStartup() {
		Throwable failure = catchThrowable(() -> ListenerTestContext
			.of((applicationContext) -> applicationContext.registerBean(ProxyingPostProcessor.class,
					() -> new ProxyingPostProcessor(false)), HiddenMethodListener.class)
			.close());
		assertThat(failure).cause()
			.isInstanceOf(WsListenerConfigurationException.class)
			.hasMessageContaining("HiddenMethodListener#onHidden(String)")
			.hasMessageContaining("cannot be invoked on the bean's proxy")
			.hasMessageContaining("Action: Make the method public and declare it on an interface");
	}

	interface TextHandler {

		void onText(String text);

	}

	static class ClassListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WsListener("ticker")
		void onText(String text) {
			this.received.add(text);
		}

		List<String> received() {
			return this.received;
		}

	}

	static class InterfaceListener implements TextHandler {

		@Override
		@WsListener("ticker")
		public void onText(String text) {
		}

	}

	static class HiddenMethodListener implements TextHandler {

		@Override
		public void onText(String text) {
		}

		@WsListener("ticker")
		public void onHidden(String text) {
		}

	}

	static class ProxyingPostProcessor implements BeanPostProcessor, PriorityOrdered {

		final AtomicInteger intercepted = new AtomicInteger();

		private final boolean proxyTargetClass;

		ProxyingPostProcessor(boolean proxyTargetClass) {
			this.proxyTargetClass = proxyTargetClass;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (!(bean instanceof ClassListener || bean instanceof TextHandler)) {
				return bean;
			}
			ProxyFactory factory = new ProxyFactory(bean);
			factory.setProxyTargetClass(this.proxyTargetClass);
			if (!this.proxyTargetClass) {
				factory.setInterfaces(TextHandler.class);
			}
			factory.addAdvice((MethodInterceptor) (invocation) -> {
				this.intercepted.incrementAndGet();
				return invocation.proceed();
			});
			return factory.getProxy();
		}

		@Override
		public int getOrder() {
			return 0;
		}

	}

}
