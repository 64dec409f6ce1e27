package dev.wsboot.listener;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The optional beans every listener adapter uses, looked up once (when the singletons are
 * instantiated, or at the first message if that comes earlier) and then read with a
 * single volatile read per message.
 */
final class WsListenerCollaborators {

	private final ObjectProvider<WsListenerErrorHandler> errorHandler;

	private final ObjectProvider<ObservationRegistry> observationRegistry;

	private final ObjectProvider<WsListenerObservationConvention> observationConvention;

	private volatile @Nullable Resolved resolved;

	WsListenerCollaborators(ObjectProvider<WsListenerErrorHandler> errorHandler,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<WsListenerObservationConvention> observationConvention) {
		this.errorHandler = errorHandler;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
	}

	Resolved get() {
		Resolved resolved = this.resolved;
		if (resolved == null) {
			resolved = new Resolved(this.errorHandler.getIfAvailable(),
					this.observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
					this.observationConvention.getIfAvailable());
			this.resolved = resolved;
		}
		return resolved;
	}

	/**
	 * The looked-up beans.
	 *
	 * @param errorHandler the error handler, if any
	 * @param observationRegistry the observation registry, {@code NOOP} when there is
	 * none
	 * @param observationConvention the user's convention, if any
	 */
	record Resolved(@Nullable WsListenerErrorHandler errorHandler, ObservationRegistry observationRegistry,
			@Nullable WsListenerObservationConvention observationConvention) {
	}

}
