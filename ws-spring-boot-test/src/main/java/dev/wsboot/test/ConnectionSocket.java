package dev.wsboot.test;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * The TCP socket of one connection, closed at most once, gracefully or with a RST.
 */
final class ConnectionSocket {

	private final Socket socket;

	private final Recording recording;

	private final CountDownLatch closed = new CountDownLatch(1);

	ConnectionSocket(Socket socket, Recording recording) {
		this.socket = socket;
		this.recording = recording;
	}

	/**
	 * Close the socket (once) and mark the connection as disconnected.
	 * @param reset whether to abort with a RST ({@code SO_LINGER} 0)
	 * @param failure why the connection ended, {@code null} when it ended normally
	 */
	void close(boolean reset, String failure) {
		synchronized (this.closed) {
			if (this.closed.getCount() > 0) {
				try {
					if (reset) {
						this.socket.setSoLinger(true, 0);
					}
					this.socket.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
				this.closed.countDown();
			}
		}
		this.recording.markDisconnected(failure);
	}

	boolean isClosed() {
		return this.closed.getCount() == 0;
	}

	void awaitClosed() {
		try {
			this.closed.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
