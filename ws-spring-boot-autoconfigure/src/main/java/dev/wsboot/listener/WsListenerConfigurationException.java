package dev.wsboot.listener;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.beans.factory.BeanInitializationException;

/**
 * Thrown at start-up for a {@link dev.wsboot.annotation.WsListener @WsListener} method
 * that cannot work: it names a client that is not configured, or has a parameter it
 * cannot be given. The message names the bean, the method, the problem and the fix.
 */
public final class WsListenerConfigurationException extends BeanInitializationException {

	private static final long serialVersionUID = 1L;

	private final String beanName;

	private final transient Method method;

	private final String problem;

	private final String action;

	/**
	 * Create a new exception.
	 * @param beanName the name of the bean declaring the method
	 * @param method the listener method
	 * @param problem what is wrong, as a sentence about the method
	 * @param action how to fix it
	 */
	public WsListenerConfigurationException(String beanName, Method method, String problem, String action) {
		super("@WsListener method " + describe(method) + " on bean '" + beanName + "' " + problem + ". Action: "
				+ action);
		this.beanName = beanName;
		this.method = method;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * The name of the bean declaring the listener method.
	 * @return the bean name
	 */
	public String beanName() {
		return this.beanName;
	}

	/**
	 * The listener method.
	 * @return the method
	 */
	public Method method() {
		return this.method;
	}

	/**
	 * What is wrong, as a sentence fragment following the method (for example
	 * {@code "names client 'tikcer', which is not configured ..."}).
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * How to fix the problem.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

	/**
	 * Describe a method as {@code com.example.Bean#method(Param, Param)}.
	 * @param method the method
	 * @return the description
	 */
	static String describe(Method method) {
		return method.getDeclaringClass().getName() + "#" + method.getName()
				+ Arrays.stream(method.getParameterTypes())
					.map(Class::getSimpleName)
					.collect(Collectors.joining(", ", "(", ")"));
	}

}
