package dev.wsboot.test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The reading side of one connection: records every frame, reassembles (and inflates)
 * data messages, answers pings and completes the closing handshake started by the client.
 */
final class ConnectionReader implements Runnable {

	/** How many payload bytes of one frame are kept in its {@link WsTestFrame}. */
	static final int FRAME_RECORD_LIMIT = 1024 * 1024;

	/**
	 * How many payload bytes of one message are kept for
	 * {@code texts()}/{@code binaries()}.
	 */
	static final int MESSAGE_RECORD_LIMIT = 16 * 1024 * 1024;

	private final ConnectionBehavior behavior;

	private final InputStream in;

	private final Recording recording;

	private final boolean deflate;

	private final byte[] buffer = new byte[64 * 1024];

	private InboundMessage current;

	ConnectionReader(ConnectionBehavior behavior, InputStream in, Recording recording, boolean deflate) {
		this.behavior = behavior;
		this.in = in;
		this.recording = recording;
		this.deflate = deflate;
	}

	@Override
	public void run() {
		String failure = null;
		try {
			readFrames();
		}
		catch (IOException | RuntimeException ex) {
			if (!this.behavior.isSocketClosed()) {
				failure = ex.toString();
			}
		}
		finally {
			if (this.current != null) {
				this.current.release();
			}
			this.behavior.closeSocket(false, failure);
		}
	}

	private void readFrames() throws IOException {
		while (true) {
			if (this.behavior.isReadingStopped()) {
				this.behavior.awaitSocketClosed();
				return;
			}
			FrameCodec.Header header = FrameCodec.readHeader(this.in);
			if (header == null) {
				if (this.behavior.ignoresClose()) {
					this.behavior.awaitClientGone();
				}
				return;
			}
			if (!handle(header)) {
				return;
			}
		}
	}

	/**
	 * Read one frame's payload and act on it.
	 * @return whether to go on reading
	 */
	private boolean handle(FrameCodec.Header header) throws IOException {
		int opcode = header.opcode();
		boolean control = opcode >= WsTestFrame.CLOSE;
		boolean data = opcode <= WsTestFrame.BINARY;
		boolean record = control || this.behavior.recordsPayloads();
		if (opcode == WsTestFrame.TEXT || opcode == WsTestFrame.BINARY) {
			if (this.current != null) {
				this.current.release();
			}
			boolean compressed = this.deflate && (header.rsv() & 4) != 0;
			int limit = this.behavior.recordsPayloads() ? MESSAGE_RECORD_LIMIT : 0;
			this.current = new InboundMessage(opcode == WsTestFrame.TEXT, compressed, limit);
		}
		InboundMessage message = data ? this.current : null;
		CappedBuffer copy = record ? new CappedBuffer(FRAME_RECORD_LIMIT) : null;
		readPayload(header, copy, message);
		if (this.behavior.isReadingStopped()) {
			this.behavior.awaitSocketClosed();
			return false;
		}
		byte[] payload = (copy != null) ? copy.toByteArray() : null;
		if (record) {
			int size = (int) Math.min(Integer.MAX_VALUE, header.length());
			this.recording.addFrame(new WsTestFrame(opcode, header.fin(), header.rsv(), header.masked(), size, payload,
					System.nanoTime()));
		}
		if (message != null && header.fin()) {
			this.current = null;
			byte[] content = message.finish();
			boolean keep = this.behavior.recordsPayloads();
			this.recording.addMessage(message.isText(), keep ? content : null, message.size(), keep);
		}
		if (opcode == WsTestFrame.PING) {
			this.behavior.onPingReceived(payload);
		}
		if (opcode == WsTestFrame.CLOSE) {
			if (this.behavior.ignoresClose()) {
				return true;
			}
			this.behavior.onCloseReceived(payload);
			return false;
		}
		return true;
	}

	private void readPayload(FrameCodec.Header header, CappedBuffer copy, InboundMessage message) throws IOException {
		long remaining = header.length();
		long position = 0;
		while (remaining > 0) {
			int count = this.in.read(this.buffer, 0, (int) Math.min(this.buffer.length, remaining));
			if (count == -1) {
				throw new EOFException("Connection closed inside a " + WsTestFrame.opcodeName(header.opcode())
						+ " frame payload after " + position + " of " + header.length() + " bytes");
			}
			if (header.masked()) {
				FrameCodec.mask(this.buffer, 0, count, header.maskKey(), position);
			}
			if (copy != null) {
				copy.write(this.buffer, 0, count);
			}
			if (message != null) {
				message.append(this.buffer, 0, count);
			}
			position += count;
			remaining -= count;
		}
	}

}
