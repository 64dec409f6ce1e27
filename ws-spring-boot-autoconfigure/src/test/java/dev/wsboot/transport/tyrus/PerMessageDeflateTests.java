package dev.wsboot.transport.tyrus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.glassfish.tyrus.core.TyrusExtension;
import org.glassfish.tyrus.core.frame.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PerMessageDeflate} as Tyrus drives it: one thread compressing outbound frames while
 * another inflates inbound ones, on the same instance.
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
	void compressesAndInflatesAtTheSameTimeWithoutMixingTheirData() throws Exception {
		this.deflate.onHandshakeResponse(null, List.of(new TyrusExtension.TyrusParameter("client_no_context_takeover", null),
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
