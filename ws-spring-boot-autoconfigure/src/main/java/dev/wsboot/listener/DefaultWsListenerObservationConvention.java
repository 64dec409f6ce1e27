package dev.wsboot.listener;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link WsListenerObservationConvention}: observation
 * {@code ws.client.listener} with the low-cardinality key values {@code client},
 * {@code listener} ({@code BeanClass.method}), {@code outcome} ({@code SUCCESS} or
 * {@code ERROR}) and {@code exception} (the exception's simple class name, or
 * {@code none}). Extend it to add key values.
 */
public class DefaultWsListenerObservationConvention implements WsListenerObservationConvention {

	/**
	 * The observation name.
	 */
	public static final String NAME = "ws.client.listener";

	private static final KeyValue OUTCOME_SUCCESS = KeyValue.of("outcome", "SUCCESS");

	private static final KeyValue OUTCOME_ERROR = KeyValue.of("outcome", "ERROR");

	private static final KeyValue EXCEPTION_NONE = KeyValue.of("exception", "none");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(WsListenerObservationContext context) {
		return context.getListener();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(WsListenerObservationContext context) {
		Throwable error = context.getError();
		return KeyValues.of(KeyValue.of("client", context.getClientName()),
				KeyValue.of("listener", context.getListener()), (error != null) ? OUTCOME_ERROR : OUTCOME_SUCCESS,
				(error != null) ? KeyValue.of("exception", exceptionName(error)) : EXCEPTION_NONE);
	}

	private static String exceptionName(Throwable error) {
		String simpleName = error.getClass().getSimpleName();
		return simpleName.isEmpty() ? error.getClass().getName() : simpleName;
	}

}
