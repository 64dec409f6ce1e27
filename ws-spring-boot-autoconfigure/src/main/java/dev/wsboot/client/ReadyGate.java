package dev.wsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Whether one client's open connection is ready for the application's messages
 * ({@code ready-on}). With {@code ready-on: application} a new connection starts held:
 * queued messages and sends from other threads wait in the {@link SendQueue} until
 * {@link WsClient#ready()}, while the protocol's handshake (opened-event listeners, the
 * client's {@code @WsListener}s and replies, heartbeats) goes out at once.
 */
final class ReadyGate {

	static final String AWAITING_READY = "waiting for the application to call ready() (ready-on: application)";

	private final boolean application;

	private final SendQueue queue;

	private volatile @Nullable String notReadyReason;

	ReadyGate(WsClientSettings.ReadyOn readyOn, SendQueue queue) {
		this.application = readyOn == WsClientSettings.ReadyOn.APPLICATION;
		this.queue = queue;
	}

	/** A connection opened; called before its queue opens. */
	void opened() {
		if (this.application) {
			hold(AWAITING_READY);
		}
		else {
			release();
		}
	}

	synchronized void hold(String reason) {
		this.notReadyReason = reason;
		this.queue.hold(true);
	}

	synchronized void release() {
		this.notReadyReason = null;
		this.queue.hold(false);
	}

	/** Whether sends wait for {@link #release()}. */
	boolean isHeld() {
		return this.notReadyReason != null;
	}

	/** Why sends wait, {@code null} when they do not. */
	@Nullable String notReadyReason() {
		return this.notReadyReason;
	}

}
