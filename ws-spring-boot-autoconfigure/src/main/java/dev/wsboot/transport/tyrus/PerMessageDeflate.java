package dev.wsboot.transport.tyrus;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.glassfish.tyrus.core.TyrusExtension;
import org.glassfish.tyrus.core.extension.ExtendedExtension;
import org.glassfish.tyrus.core.frame.Frame;

/**
 * permessage-deflate (RFC 7692) for one client connection, as a Tyrus
 * {@link ExtendedExtension}.
 * <p>
 * Tyrus's own {@code PerMessageDeflateExtension} (tyrus-extension-deflate 2.2.1) cannot
 * be used: it ignores {@code client_no_context_takeover} (so a server that asked for it
 * cannot inflate our second message: "invalid distance too far back"), sets RSV1 on
 * continuation frames, strips the deflate tail from every fragment, inflates continuation
 * frames of uncompressed messages, passes corrupt data on silently, and inflates without
 * a bound.
 * <p>
 * This one offers {@code permessage-deflate; client_max_window_bits} (as browsers do, so
 * that a server insisting on the parameter still negotiates), honours both
 * {@code *_no_context_takeover} answers, compresses each outbound data frame with a sync
 * flush (RSV1 on the first frame of a message only, the {@code 00 00 ff ff} tail stripped
 * from the last frame only; a last frame the deflater has nothing left for, such as an
 * empty message after an earlier one, carries an empty stored block, the single byte
 * {@code 00}, RFC 7692 §7.2.3.6), and inflates each inbound frame into at most
 * {@code maxFrameSize + 1} bytes: a frame that inflates beyond that, or does not inflate,
 * is reported to the {@link Listener} (which fails the connection) and replaced by an
 * empty frame. A compressed inbound message with no payload at all is an empty message.
 * When the server limits the client's window below 15 bits, which
 * {@link java.util.zip.Deflater} cannot produce, messages go out uncompressed (RSV1
 * clear) while inbound ones are still inflated. One instance serves one connection; Tyrus
 * calls it from the reading thread (inbound) and under its send lock (outbound).
 */
final class PerMessageDeflate implements ExtendedExtension {

	static final String NAME = "permessage-deflate";

	private static final byte[] TAIL = { 0x00, 0x00, (byte) 0xFF, (byte) 0xFF };

	/** An empty stored block once the tail is removed (RFC 7692 §7.2.3.6). */
	private static final byte[] EMPTY_BLOCK = { 0x00 };

	private static final List<Parameter> OFFER = List
		.of(new TyrusExtension.TyrusParameter(PerMessageDeflateResponse.CLIENT_MAX_WINDOW_BITS, null));

	private final long maxFrameSize;

	private final Listener listener;

	private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

	private final Inflater inflater = new Inflater(true);

	/** Deflater output; outbound only (under Tyrus's send lock). */
	private final byte[] deflateBuffer = new byte[8192];

	/**
	 * Inflater output; inbound only (the reading thread). Never shared with outbound: a
	 * send and a receive run at the same time.
	 */
	private final byte[] inflateBuffer = new byte[8192];

	private volatile boolean resetDeflater;

	private volatile boolean resetInflater;

	private volatile boolean compressOutbound = true;

	/** Whether the inbound message being received is compressed (reading thread only). */
	private boolean inboundCompressed;

	/** Compressed bytes of the inbound message so far (reading thread only). */
	private long inboundLength;

	/**
	 * Create the extension for one connection.
	 * @param maxFrameSize the largest inflated frame payload accepted
	 * @param listener told when an inbound frame cannot be accepted
	 */
	PerMessageDeflate(long maxFrameSize, Listener listener) {
		this.maxFrameSize = maxFrameSize;
		this.listener = listener;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public List<Parameter> getParameters() {
		return OFFER;
	}

	/**
	 * Take the server's answer; {@link TyrusHandshake} has already failed the handshake
	 * when its parameters are invalid.
	 */
	@Override
	public void onHandshakeResponse(ExtensionContext context, List<Parameter> responseParameters) {
		PerMessageDeflateResponse response;
		try {
			response = PerMessageDeflateResponse.parse(responseParameters);
		}
		catch (IllegalArgumentException ex) {
			response = PerMessageDeflateResponse.DEFAULT;
			this.compressOutbound = false;
		}
		this.resetDeflater = response.clientNoContextTakeover();
		this.resetInflater = response.serverNoContextTakeover();
		this.compressOutbound = this.compressOutbound && response.compressesOutbound();
	}

	@Override
	public List<Parameter> onExtensionNegotiation(ExtensionContext context, List<Parameter> requestedParameters) {
		throw new UnsupportedOperationException("Client side only");
	}

	@Override
	public Frame processOutgoing(ExtensionContext context, Frame frame) {
		if (frame.isControlFrame() || !this.compressOutbound) {
			return frame;
		}
		this.deflater.setInput(frame.getPayloadData());
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		int count;
		do {
			count = this.deflater.deflate(this.deflateBuffer, 0, this.deflateBuffer.length, Deflater.SYNC_FLUSH);
			compressed.write(this.deflateBuffer, 0, count);
		}
		while (count == this.deflateBuffer.length);
		byte[] payload = compressed.toByteArray();
		int length = payload.length;
		if (frame.isFin()) {
			if (endsWithTail(payload)) {
				length -= TAIL.length;
			}
			else if (length == 0) {
				// flushed before (an empty message, or a last fragment with nothing
				// left): the
				// message must still end at a sync point the receiver completes with the
				// tail
				payload = EMPTY_BLOCK;
				length = EMPTY_BLOCK.length;
			}
			if (this.resetDeflater) {
				this.deflater.reset();
			}
		}
		boolean first = frame.getOpcode() != 0;
		return Frame.builder(frame).payloadData(payload).payloadLength(length).rsv1(first).build();
	}

	@Override
	public Frame processIncoming(ExtensionContext context, Frame frame) {
		if (frame.isControlFrame()) {
			return frame;
		}
		if (frame.getOpcode() != 0) {
			this.inboundCompressed = frame.isRsv1();
			this.inboundLength = 0;
		}
		if (!this.inboundCompressed) {
			return frame;
		}
		try {
			ByteArrayOutputStream inflated = new ByteArrayOutputStream();
			byte[] payload = frame.getPayloadData();
			this.inboundLength += payload.length;
			inflate(payload, inflated);
			// no payload at all: an empty message (some peers send it so); the tail alone
			// would start a block the next message cannot continue
			if (frame.isFin() && this.inboundLength > 0) {
				inflate(TAIL, inflated);
				if (this.resetInflater || this.inflater.finished()) {
					this.inflater.reset();
				}
			}
			return Frame.builder(frame).payloadData(inflated.toByteArray()).rsv1(false).build();
		}
		catch (TooBigException ex) {
			this.listener.inflatedFrameTooBig();
		}
		catch (DataFormatException ex) {
			this.listener.inflationFailed(ex);
		}
		return Frame.builder(frame).payloadData(new byte[0]).rsv1(false).build();
	}

	@Override
	public void destroy(ExtensionContext context) {
		// Tyrus may still frame a message racing with the close: leave the codecs usable
	}

	private void inflate(byte[] input, ByteArrayOutputStream output) throws DataFormatException, TooBigException {
		this.inflater.setInput(input);
		int count;
		do {
			count = this.inflater.inflate(this.inflateBuffer);
			if (output.size() + count > this.maxFrameSize) {
				throw new TooBigException();
			}
			output.write(this.inflateBuffer, 0, count);
		}
		while (count > 0 || (!this.inflater.needsInput() && !this.inflater.finished()));
	}

	private static boolean endsWithTail(byte[] payload) {
		int length = payload.length;
		return length >= 4 && payload[length - 4] == TAIL[0] && payload[length - 3] == TAIL[1]
				&& payload[length - 2] == TAIL[2] && payload[length - 1] == TAIL[3];
	}

	/**
	 * Told when an inbound frame cannot be accepted; the frame is replaced by an empty
	 * one and the listener is expected to fail the connection.
	 */
	interface Listener {

		/** A frame inflated to more than the limit: fail the connection with 1009. */
		void inflatedFrameTooBig();

		/**
		 * A frame did not inflate: fail the connection with 1007.
		 * @param failure what the inflater reported
		 */
		void inflationFailed(DataFormatException failure);

	}

	private static final class TooBigException extends Exception {

		private static final long serialVersionUID = 1L;

		TooBigException() {
			super(null, null, false, false);
		}

	}

}
