package dev.wsboot.transport.tyrus;

import org.jspecify.annotations.Nullable;

/**
 * The TCP connection of one connect while the server has not answered the upgrade yet: a
 * connect that gives up first (connect timeout, transport closed) closes it, so a server
 * that is slow to answer, or never does, cannot keep a socket per attempt open.
 * <p>
 * Filled in by the container's connection probe ({@link GrizzlyHandshakeProbe}); once the
 * server answered, the connection belongs to Tyrus and the session.
 */
final class PendingSocket {

	private @Nullable Runnable close;

	private boolean abandoned;

	private boolean answered;

	/** Told when the TCP connection closes, whoever closes it. */
	private volatile @Nullable Runnable onClosed;

	/**
	 * The TCP connection is established.
	 * @param close closes it
	 */
	void attach(Runnable close) {
		synchronized (this) {
			if (!this.abandoned) {
				this.close = close;
				return;
			}
		}
		close.run();
	}

	/**
	 * The server answered the upgrade: the connection is no longer this one's to close.
	 */
	synchronized void answered() {
		this.answered = true;
		this.close = null;
	}

	/** The connect gave up: close the connection, now or once it is established. */
	void abandon() {
		Runnable close;
		synchronized (this) {
			if (this.answered || this.abandoned) {
				return;
			}
			this.abandoned = true;
			close = this.close;
			this.close = null;
		}
		if (close != null) {
			close.run();
		}
	}

	/**
	 * What to do when the TCP connection closes, whoever closes it: called on a Grizzly
	 * thread, must not block.
	 * @param onClosed the callback
	 */
	void onClosed(Runnable onClosed) {
		this.onClosed = onClosed;
	}

	/** The TCP connection closed (reported by the container's connection probe). */
	void closed() {
		Runnable onClosed = this.onClosed;
		if (onClosed != null) {
			onClosed.run();
		}
	}

}
