package dev.wsboot.test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * How the server end of one connection behaves: the switches a test flips (answering
 * pings, reading, the closing handshake, recording payloads), the echo and text-handling
 * scripts, and tearing the connection down. The switches are set from the test's thread
 * and read by the connection's reader thread, hence volatile.
 */
final class ConnectionBehavior {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final ConnectionSocket socket;

	private final FrameSender sender;

	private final Recording recording;

	private final Object echoLock = new Object();

	private int echoed;

	private volatile boolean answerPings = true;

	private volatile boolean readingStopped;

	private volatile boolean ignoreClose;

	private volatile boolean recordPayloads;

	ConnectionBehavior(ConnectionSocket socket, FrameSender sender, Recording recording, boolean recordPayloads) {
		this.socket = socket;
		this.sender = sender;
		this.recording = recording;
		this.recordPayloads = recordPayloads;
	}

	// ---- switches, set by the test

	void answerPings(boolean answer) {
		this.answerPings = answer;
	}

	void stopReading() {
		this.readingStopped = true;
	}

	void ignoreClose() {
		this.ignoreClose = true;
	}

	void recordPayloads(boolean record) {
		this.recordPayloads = record;
	}

	// ---- switches, read by the reader thread

	boolean isReadingStopped() {
		return this.readingStopped;
	}

	boolean ignoresClose() {
		return this.ignoreClose;
	}

	boolean recordsPayloads() {
		return this.recordPayloads;
	}

	void onPingReceived(byte[] payload) {
		if (this.answerPings) {
			this.sender.frame(WsTestFrame.PONG, true, 0, false, payload);
		}
	}

	void onCloseReceived(byte[] payload) {
		this.sender.closeOnce((payload.length >= 2) ? new byte[] { payload[0], payload[1] } : new byte[0]);
	}

	// ---- scripts

	/**
	 * Stop answering pings, then send the header of a 100-byte text frame and only 10
	 * bytes of its payload.
	 */
	void stallMidFrame() {
		this.answerPings = false;
		byte[] partialFrame = new byte[12];
		partialFrame[0] = (byte) 0x81;
		partialFrame[1] = 100;
		Arrays.fill(partialFrame, 2, partialFrame.length, (byte) 'x');
		this.sender.raw(partialFrame);
	}

	/**
	 * Echo data messages until the connection ends, starting with the first message not
	 * echoed yet; one echoing thread at a time.
	 */
	void echo() {
		synchronized (this.echoLock) {
			try {
				while (true) {
					Recording.Message message = this.recording.nextMessage(this.echoed);
					if (message == null) {
						return;
					}
					this.echoed++;
					this.sender.message(message.text() ? WsTestFrame.TEXT : WsTestFrame.BINARY, message.payload());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (UncheckedIOException ex) {
				// the connection broke while echoing: nothing left to echo
			}
		}
	}

	/**
	 * Hand every recorded text message to {@code handler}, in order, until the connection
	 * ends.
	 * @param handler called with each text message on the calling thread
	 */
	void handleTexts(Consumer<String> handler) {
		int index = 0;
		try {
			while (true) {
				Recording.Message message = this.recording.nextMessage(index++);
				if (message == null) {
					return;
				}
				if (message.text()) {
					handler.accept(message.asText());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (UncheckedIOException ex) {
			// the connection broke while answering: nothing left to answer
		}
	}

	// ---- teardown

	/**
	 * Send the server's close frame (unless one was sent), wait at most 5 seconds for the
	 * client's close frame, then close the TCP connection.
	 * @param payload the close payload
	 */
	void closeAndWait(byte[] payload) {
		try {
			this.sender.closeOnce(payload);
		}
		catch (UncheckedIOException ex) {
			closeSocket(false, null);
			return;
		}
		this.recording.awaitQuietly(CLOSE_TIMEOUT, this.recording::isCloseReceived);
		closeSocket(false, null);
	}

	void closeSocket(boolean reset, String failure) {
		this.socket.close(reset, failure);
	}

	boolean isSocketClosed() {
		return this.socket.isClosed();
	}

	void awaitSocketClosed() {
		this.socket.awaitClosed();
	}

	/** Probe a connection whose client shut its output down until the client drops it. */
	void awaitClientGone() {
		while (!this.socket.isClosed()) {
			try {
				this.sender.raw(FrameCodec.encode(WsTestFrame.PONG, true, 0, false, new byte[0], 0, 0));
				Thread.sleep(20);
			}
			catch (UncheckedIOException ex) {
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
