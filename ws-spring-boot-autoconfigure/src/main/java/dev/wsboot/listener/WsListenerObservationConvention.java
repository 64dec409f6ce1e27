package dev.wsboot.listener;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for
 * {@link dev.wsboot.annotation.WsListener @WsListener} invocations. Declare a bean of
 * this type to replace {@link DefaultWsListenerObservationConvention}.
 */
public interface WsListenerObservationConvention extends ObservationConvention<WsListenerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof WsListenerObservationContext;
	}

}
