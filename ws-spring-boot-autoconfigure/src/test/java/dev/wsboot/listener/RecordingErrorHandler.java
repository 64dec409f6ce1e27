package dev.wsboot.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link WsListenerErrorHandler} that records the failures it is given.
 */
class RecordingErrorHandler implements WsListenerErrorHandler {

	final List<WsListenerFailure> failures = new CopyOnWriteArrayList<>();

	@Override
	public void handleError(WsListenerFailure failure) {
		this.failures.add(failure);
	}

}
