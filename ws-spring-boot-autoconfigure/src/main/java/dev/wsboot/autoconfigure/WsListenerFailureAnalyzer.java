package dev.wsboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.wsboot.listener.WsListenerConfigurationException;

/**
 * Explains a {@link WsListenerConfigurationException}: the bean, the method and the fix.
 */
final class WsListenerFailureAnalyzer extends AbstractFailureAnalyzer<WsListenerConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WsListenerConfigurationException cause) {
		return new FailureAnalysis(
				"The @WsListener method " + cause.method().getDeclaringClass().getSimpleName() + "."
						+ cause.method().getName() + " of bean '" + cause.beanName() + "' " + cause.problem() + ".",
				cause.action(), cause);
	}

}
