package dev.wsboot.client;

import java.util.function.BooleanSupplier;

/**
 * A message source that cannot pause reading, like a blocking transport: the producer
 * waits for room in the hand-off until the source has ended.
 */
final class UnpausableSource implements InboundBudget.Source {

	/** A source that never ends. */
	static final UnpausableSource OPEN = new UnpausableSource(() -> false);

	private final BooleanSupplier ended;

	UnpausableSource(BooleanSupplier ended) {
		this.ended = ended;
	}

	@Override
	public boolean hasEnded() {
		return this.ended.getAsBoolean();
	}

	@Override
	public boolean pauseReading() {
		return false;
	}

	@Override
	public void resumeReading() {
	}

}
