package dev.wsboot.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.wsboot.annotation.WsListener;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link WsListener @WsListener} methods on beans and registers each as a
 * {@link WsListenerEndpoint} with the {@link WsListenerEndpointRegistry}.
 * <p>
 * Runs after other post-processors, so a proxied bean is invoked through its proxy.
 * Client names may contain {@code ${...}} placeholders. Register it from a {@code static}
 * {@code @Bean} method. Like Spring Kafka's listener post-processor, it collects the
 * endpoints of the singletons and registers them once all singletons are instantiated (so
 * the registry and its message converter, the application's {@code JsonMapper}, are not
 * created ahead of their turn by the first listener bean); endpoints of beans created
 * later are registered at once.
 */
public final class WsListenerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {

	private final ObjectProvider<WsListenerEndpointRegistry> registry;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	/** Endpoints found before all singletons were instantiated; null afterwards. */
	private @Nullable List<Checked> pending = new ArrayList<>();

	private @Nullable ConfigurableBeanFactory beanFactory;

	/**
	 * Create a new post-processor.
	 * @param registry the registry to add endpoints to, looked up lazily
	 */
	public WsListenerAnnotationBeanPostProcessor(ObjectProvider<WsListenerEndpointRegistry> registry) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean || bean instanceof WsListenerEndpointRegistry) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass) || isSpringContainerClass(targetClass)) {
			return bean;
		}
		Map<Method, WsListener> annotatedMethods = AnnotationUtils.isCandidateClass(targetClass, WsListener.class)
				? MethodIntrospector.selectMethods(targetClass, WsListenerAnnotationBeanPostProcessor::findAnnotation)
				: Map.of();
		if (annotatedMethods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		// checked now, so that a method that cannot be a listener fails this bean's
		// creation
		List<Checked> endpoints = new ArrayList<>(annotatedMethods.size());
		annotatedMethods.forEach((method, annotation) -> {
			WsListenerEndpoint endpoint = createEndpoint(bean, beanName, method, annotation);
			endpoints.add(new Checked(endpoint, WsListenerSignature.of(endpoint)));
		});
		synchronized (this.lock) {
			if (this.pending != null) {
				this.pending.addAll(endpoints);
				return bean;
			}
		}
		register(endpoints);
		return bean;
	}

	/**
	 * Register the endpoints of the singletons with the registry.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		List<Checked> endpoints;
		synchronized (this.lock) {
			endpoints = this.pending;
			this.pending = null;
		}
		if (endpoints != null && !endpoints.isEmpty()) {
			register(endpoints);
		}
	}

	private void register(List<Checked> endpoints) {
		WsListenerEndpointRegistry registry = this.registry.getObject();
		for (Checked checked : endpoints) {
			registry.registerEndpoint(checked.endpoint(), checked.signature());
		}
	}

	/**
	 * Whether the class is Spring's own infrastructure, which declares no listeners: most
	 * of an application's beans, skipped as Spring's {@code @EventListener} processor
	 * skips them (their methods' annotations took half of this post-processor's start-up
	 * time).
	 */
	private static boolean isSpringContainerClass(Class<?> type) {
		return type.getName().startsWith("org.springframework.")
				&& !AnnotatedElementUtils.isAnnotated(ClassUtils.getUserClass(type), Component.class);
	}

	private static @Nullable WsListener findAnnotation(Method method) {
		return AnnotatedElementUtils.findMergedAnnotation(method, WsListener.class);
	}

	private WsListenerEndpoint createEndpoint(Object bean, String beanName, Method method, WsListener annotation) {
		Method invocableMethod;
		try {
			invocableMethod = AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new WsListenerConfigurationException(beanName, method,
					"cannot be invoked on the bean's proxy: " + ex.getMessage(),
					"Make the method public and declare it on an interface the proxy implements, or proxy the "
							+ "target class.");
		}
		return new WsListenerEndpoint(beanName, bean, invocableMethod, clientNames(annotation), annotation.partial(),
				resolved(annotation.match()), resolved(annotation.payload()));
	}

	private List<String> resolved(String[] values) {
		List<String> resolved = new ArrayList<>(values.length);
		for (String value : values) {
			resolved.add(resolved(value));
		}
		return resolved;
	}

	private String resolved(String value) {
		String resolved = (this.beanFactory != null && !value.isEmpty()) ? this.beanFactory.resolveEmbeddedValue(value)
				: value;
		return (resolved != null) ? resolved : value;
	}

	private List<String> clientNames(WsListener annotation) {
		List<String> names = new ArrayList<>(annotation.value().length);
		for (String name : annotation.value()) {
			String resolved = (this.beanFactory != null) ? this.beanFactory.resolveEmbeddedValue(name) : name;
			if (StringUtils.hasText(resolved) && !names.contains(resolved.trim())) {
				names.add(resolved.trim());
			}
		}
		return names;
	}

	private record Checked(WsListenerEndpoint endpoint, WsListenerSignature signature) {
	}

}
