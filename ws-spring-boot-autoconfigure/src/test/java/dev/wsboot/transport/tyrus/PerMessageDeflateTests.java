package dev.wsboot.transport.tyrus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import jakarta.websocket.Extension;
import org.glassfish.tyrus.core.TyrusExtension;
import org.glassfish.tyrus.core.frame.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PerMessageDeflate} as Tyrus drives it, against a reference peer that keeps one
 * compression context per direction as RFC 7692 describes; and one thread compressing
 * outbound frames while another inflates inbound ones, on the same instance.
 */
class PerMessageDeflateTests {

	private static final int MESSAGES = 3000;

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final PerMessageDeflate deflate = new PerMessageDeflate(1024 * 1024, new PerMessageDeflate.Listener() {

		@Override
		public void inflatedFrameTooBig() {
			PerMessageDeflateTests.this.failures.add("too big");
		}

		@Override
		public void inflationFailed(DataFormatException failure) {
			PerMessageDeflateTests.this.failures.add(failure.toString());
		}

	});

	@Test
	void offersClientMaxWindowBitsWithoutAValueAsBrowsersDo() {
		assertThat(this.deflate.getParameters()).singleElement().satisfies((parameter) -> {
			assertThat(parameter.getName()).isEqualTo("client_max_window_bits");
			assertThat(parameter.getValue()).isNull();
		});
	}

	@ParameterizedTest(name = "client_no_context_takeover={0}")
	@ValueSource(booleans = { false, true })
	void emptyOutboundMessagesGoOutAsAnEmptyStoredBlockAndLeaveTheContextIntact(boolean noContextTakeover) {
		negotiate(noContextTakeover ? new String[] { "client_no_context_takeover" } : new String[0]);
		Peer server = new Peer();
		List<String> messages = List.of("", "hello hello hello", "", "", "hello again", "");
		for (String message : messages) {
			Frame frame = this.deflate.processOutgoing(null, frame(0x2, true, false, bytes(message)));
			assertThat(frame.isRsv1()).isTrue();
			byte[] payload = payload(frame);
			if (message.isEmpty()) {
				assertThat(payload).as("empty message").containsExactly(0x00);
			}
			assertThat(server.inflate(payload, !noContextTakeover)).asString(StandardCharsets.UTF_8).isEqualTo(message);
		}
		assertThat(this.failures).isEmpty();
	}

	@Test
	void aFragmentedMessageWhoseLastFrameIsEmptyStillEndsAtASyncPoint() {
		negotiate();
		Peer server = new Peer();
		for (String text : List.of("first part", "x", "")) {
			Frame first = this.deflate.processOutgoing(null, frame(0x1, false, false, bytes(text)));
			Frame last = this.deflate.processOutgoing(null, frame(0x0, true, false, new byte[0]));
			assertThat(first.isRsv1()).isTrue();
			assertThat(last.isRsv1()).isFalse();
			assertThat(payload(last)).containsExactly(0x00);
			byte[] message = concat(payload(first), payload(last));
			assertThat(server.inflate(message, true)).asString(StandardCharsets.UTF_8).isEqualTo(text);
		}
		Frame next = this.deflate.processOutgoing(null, frame(0x1, true, false, bytes("next")));
		assertThat(server.inflate(payload(next), true)).asString(StandardCharsets.UTF_8).isEqualTo("next");
	}

	@ParameterizedTest(name = "server_no_context_takeover={0}")
	@ValueSource(booleans = { false, true })
	void emptyInboundMessagesInflateToNothingWhetherSentAsAStoredBlockOrWithoutPayload(boolean noContextTakeover) {
		negotiate(noContextTakeover ? new String[] { "server_no_context_takeover" } : new String[0]);
		Peer server = new Peer();
		assertThat(inflateInbound(server.deflate("quote quote quote", !noContextTakeover)))
			.isEqualTo("quote quote quote");
		// a stored block (RFC 7692 §7.2.3.6), then a peer that sends nothing at all
		assertThat(inflateInbound(server.deflate("", !noContextTakeover))).isEmpty();
		assertThat(inflateInbound(new byte[0])).isEmpty();
		assertThat(inflateInbound(server.deflate("quote again", !noContextTakeover))).isEqualTo("quote again");
		assertThat(inflateInbound(new byte[0])).isEmpty();
		assertThat(inflateInbound(server.deflate("and again", !noContextTakeover))).isEqualTo("and again");
		assertThat(this.failures).isEmpty();
	}

	@Test
	void emptyInboundFragmentsOfACompressedMessageAreAccepted() {
		negotiate();
		Peer server = new Peer();
		byte[] compressed = server.deflate("fragmented", true);
		Frame first = this.deflate.processIncoming(null, frame(0x1, false, true, new byte[0]));
		Frame middle = this.deflate.processIncoming(null, frame(0x0, false, false, compressed));
		Frame last = this.deflate.processIncoming(null, frame(0x0, true, false, new byte[0]));
		assertThat(new String(concat(first.getPayloadData(), concat(middle.getPayloadData(), last.getPayloadData())),
				StandardCharsets.UTF_8))
			.isEqualTo("fragmented");
		assertThat(inflateInbound(server.deflate("next", true))).isEqualTo("next");
		assertThat(this.failures).isEmpty();
	}

	@Test
	void aClientWindowBelow15BitsSendsUncompressedAndStillInflatesWhatTheServerSends() {
		negotiate("client_max_window_bits=10");
		byte[] text = bytes("not compressed ".repeat(20));
		Frame frame = this.deflate.processOutgoing(null, frame(0x1, true, false, text));
		assertThat(frame.isRsv1()).isFalse();
		assertThat(payload(frame)).isEqualTo(text);
		Frame empty = this.deflate.processOutgoing(null, frame(0x2, true, false, new byte[0]));
		assertThat(empty.isRsv1()).isFalse();
		assertThat(payload(empty)).isEmpty();
		Peer server = new Peer();
		assertThat(inflateInbound(server.deflate("compressed ".repeat(20), true))).isEqualTo("compressed ".repeat(20));
		assertThat(this.failures).isEmpty();
	}

	@Test
	void aClientWindowOf15BitsAndASmallerServerWindowStillCompress() {
		negotiate("client_max_window_bits=15", "server_max_window_bits=9");
		Frame frame = this.deflate.processOutgoing(null, frame(0x1, true, false, bytes("squeeze ".repeat(20))));
		assertThat(frame.isRsv1()).isTrue();
		assertThat(new Peer().inflate(payload(frame), true)).asString(StandardCharsets.UTF_8)
			.isEqualTo("squeeze ".repeat(20));
		Peer server = new Peer();
		assertThat(inflateInbound(server.deflate("small window", true))).isEqualTo("small window");
	}

	@Test
	void compressesAndInflatesAtTheSameTimeWithoutMixingTheirData() throws Exception {
		this.deflate.onHandshakeResponse(null,
				List.of(new TyrusExtension.TyrusParameter("client_no_context_takeover", null),
						new TyrusExtension.TyrusParameter("server_no_context_takeover", null)));
		CompletableFuture<Void> outbound = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < MESSAGES; i++) {
				byte[] text = message(i);
				Frame compressed = this.deflate.processOutgoing(null, textFrame(text, false));
				assertThat(compressed.isRsv1()).isTrue();
				assertThat(inflateMessage(compressed.getPayloadData(), (int) compressed.getPayloadLength()))
					.as("outbound message %d", i)
					.isEqualTo(text);
			}
		});
		CompletableFuture<Void> inbound = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < MESSAGES; i++) {
				byte[] text = message(MESSAGES - i);
				Frame inflated = this.deflate.processIncoming(null, textFrame(deflateMessage(text), true));
				assertThat(inflated.getPayloadData()).as("inbound message %d", i).isEqualTo(text);
			}
		});
		CompletableFuture.allOf(outbound, inbound).get(60, TimeUnit.SECONDS);
		assertThat(this.failures).isEmpty();
	}

	/**
	 * Apply a response with these parameters, each {@code name} or {@code name=value}.
	 */
	private void negotiate(String... parameters) {
		List<Extension.Parameter> response = new ArrayList<>();
		for (String parameter : parameters) {
			int equals = parameter.indexOf('=');
			response.add((equals < 0) ? new TyrusExtension.TyrusParameter(parameter, null)
					: new TyrusExtension.TyrusParameter(parameter.substring(0, equals),
							parameter.substring(equals + 1)));
		}
		this.deflate.onHandshakeResponse(null, response);
	}

	private String inflateInbound(byte[] compressed) {
		Frame frame = this.deflate.processIncoming(null, frame(0x1, true, true, compressed));
		assertThat(frame.isRsv1()).isFalse();
		return new String(frame.getPayloadData(), StandardCharsets.UTF_8);
	}

	private static Frame frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
		return Frame.builder().opcode((byte) opcode).fin(fin).rsv1(rsv1).payloadData(payload).build();
	}

	/** The bytes Tyrus writes: the payload up to the frame's length. */
	private static byte[] payload(Frame frame) {
		return Arrays.copyOf(frame.getPayloadData(), (int) frame.getPayloadLength());
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/**
	 * The other end as RFC 7692 describes it, keeping one context per direction unless
	 * told to start afresh: an empty message it sends is the stored block {@code 00}.
	 */
	private static final class Peer {

		private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

		private Inflater inflater = new Inflater(true);

		byte[] deflate(String text, boolean keepContext) {
			if (!keepContext) {
				this.deflater.reset();
			}
			this.deflater.setInput(bytes(text));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			int count;
			do {
				count = this.deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
				out.write(buffer, 0, count);
			}
			while (count == buffer.length);
			byte[] compressed = out.toByteArray();
			return (compressed.length == 0) ? new byte[] { 0x00 } : Arrays.copyOf(compressed, compressed.length - 4);
		}

		/** Inflate one whole message: its payload plus the {@code 00 00 ff ff} tail. */
		byte[] inflate(byte[] payload, boolean keepContext) {
			if (!keepContext) {
				this.inflater = new Inflater(true);
			}
			this.inflater.setInput(concat(payload, new byte[] { 0x00, 0x00, (byte) 0xFF, (byte) 0xFF }));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			try {
				int count;
				do {
					count = this.inflater.inflate(buffer);
					out.write(buffer, 0, count);
				}
				while (count > 0);
			}
			catch (DataFormatException ex) {
				throw new AssertionError("Outbound message does not inflate: " + ex.getMessage(), ex);
			}
			assertThat(this.inflater.getRemaining()).as("bytes left after the message's sync point").isZero();
			assertThat(this.inflater.needsInput()).as("message ends at a sync point").isTrue();
			return out.toByteArray();
		}

	}

	/** A compressible text of 4 to 40 KB, different for every {@code i}. */
	private static byte[] message(int i) {
		return ("{\"seq\":" + i + ",\"symbol\":\"ACME\",\"bid\":12.5}").repeat(100 + (i * 37) % 900)
			.getBytes(StandardCharsets.UTF_8);
	}

	private static Frame textFrame(byte[] payload, boolean rsv1) {
		return Frame.builder().opcode((byte) 0x1).fin(true).rsv1(rsv1).payloadData(payload).build();
	}

	/** What a server sends: raw deflate, sync flush, the trailing 00 00 ff ff removed. */
	private static byte[] deflateMessage(byte[] data) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		try {
			deflater.setInput(data);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			int count;
			do {
				count = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
				out.write(buffer, 0, count);
			}
			while (count == buffer.length);
			byte[] compressed = out.toByteArray();
			return Arrays.copyOf(compressed, compressed.length - 4);
		}
		finally {
			deflater.end();
		}
	}

	/** What a server does with one message of a client that does not keep its context. */
	private static byte[] inflateMessage(byte[] payload, int length) {
		Inflater inflater = new Inflater(true);
		try {
			byte[] input = Arrays.copyOf(payload, length + 4);
			input[length + 2] = (byte) 0xFF;
			input[length + 3] = (byte) 0xFF;
			inflater.setInput(input);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			while (!inflater.needsInput() || inflater.getRemaining() > 0) {
				int count = inflater.inflate(buffer);
				if (count == 0 && (inflater.needsInput() || inflater.finished())) {
					break;
				}
				out.write(buffer, 0, count);
			}
			return out.toByteArray();
		}
		catch (DataFormatException ex) {
			throw new AssertionError("Outbound frame does not inflate: " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

}
