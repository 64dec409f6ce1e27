package dev.wsboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidWsConfigurationException}: the property and the fix.
 */
final class WsConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidWsConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidWsConfigurationException cause) {
		return new FailureAnalysis("The WebSocket client property '" + cause.property() + "' " + cause.problem() + ".",
				cause.action(), cause);
	}

}
