package dev.wsboot.listener;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import dev.wsboot.annotation.WsListener;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.messaging.Message;
import org.springframework.util.ClassUtils;

/**
 * Ahead-of-time support for {@link WsListener @WsListener} beans: registers every
 * listener method for invocation, and the payload types converted from JSON (parameters,
 * and return values sent back as JSON, including those of a {@code CompletableFuture})
 * for Jackson binding. Registered in {@code META-INF/spring/aot.factories}.
 */
final class WsListenerBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		Set<Method> listeners = listenerMethods(beanClass);
		if (listeners.isEmpty()) {
			return null;
		}
		return (generationContext, beanRegistrationCode) -> registerHints(generationContext.getRuntimeHints(),
				listeners);
	}

	static Set<Method> listenerMethods(Class<?> beanClass) {
		if (!AnnotationUtils.isCandidateClass(beanClass, WsListener.class)) {
			return Set.of();
		}
		return MethodIntrospector
			.selectMethods(beanClass,
					(MethodIntrospector.MetadataLookup<WsListener>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, WsListener.class))
			.keySet();
	}

	static void registerHints(RuntimeHints hints, Iterable<Method> listeners) {
		BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
		for (Method method : listeners) {
			hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
			WsListener annotation = AnnotatedElementUtils.findMergedAnnotation(method, WsListener.class);
			boolean partial = annotation != null && annotation.partial();
			for (int i = 0; i < method.getParameterCount(); i++) {
				Class<?> type = method.getParameterTypes()[i];
				if (WsListenerSignature.isPayload(new MethodParameter(method, i), partial)
						&& !WsListenerSignature.isPassThrough(type)) {
					bindings.registerReflectionHints(hints.reflection(), method.getGenericParameterTypes()[i]);
				}
				else if (Message.class.isAssignableFrom(type)) {
					registerBinding(bindings, hints, ResolvableType.forMethodParameter(method, i).as(Message.class));
				}
			}
			ResolvableType reply = ResolvableType.forMethodReturnType(method);
			if (CompletionStage.class.isAssignableFrom(reply.toClass())) {
				reply = reply.as(CompletionStage.class).getGeneric();
			}
			if (isSentAsJson(reply.toClass())) {
				registerBinding(bindings, hints, reply);
			}
		}
	}

	/**
	 * The type and its resolved generics: a generic of a super type loses its context as
	 * a {@code Type}.
	 */
	private static void registerBinding(BindingReflectionHintsRegistrar bindings, RuntimeHints hints,
			ResolvableType type) {
		Class<?> resolved = type.resolve();
		if (resolved != null && resolved != Object.class) {
			bindings.registerReflectionHints(hints.reflection(), resolved);
		}
		for (ResolvableType generic : type.getGenerics()) {
			registerBinding(bindings, hints, generic);
		}
	}

	private static boolean isSentAsJson(Class<?> type) {
		return type != void.class && type != Void.class && type != Object.class && type != String.class
				&& type != byte[].class && !ByteBuffer.class.isAssignableFrom(type);
	}

}
