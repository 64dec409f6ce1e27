package dev.wsboot.transport.tyrus;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FrameValidator} on raw server bytes, however the reads split them.
 */
class FrameValidatorTests {

	private static final int MAX = 1000;

	private final ByteArrayOutputStream passed = new ByteArrayOutputStream();

	private final List<String> violations = new ArrayList<>();

	private FrameValidator validator(boolean deflate) {
		return new FrameValidator((data) -> {
			while (data.hasRemaining()) {
				this.passed.write(data.get());
			}
		}, MAX, deflate, (code, reason) -> this.violations.add(code + " " + reason));
	}

	@Test
	void validFramesPassUnchangedWhateverTheReadBoundaries() {
		byte[] stream = concat(frame(0x81, 5), frame(0x82, 126), frame(0x89, 3), frame(0x02, 200), frame(0x00, 600),
				frame(0x80, 10), frame(0x82, MAX), frame(0x88, 2));
		for (int chunk : new int[] { stream.length, 1, 2, 7, 125 }) {
			this.passed.reset();
			FrameValidator validator = validator(false);
			for (int offset = 0; offset < stream.length; offset += chunk) {
				validator.handle(ByteBuffer.wrap(stream, offset, Math.min(chunk, stream.length - offset)));
			}
			assertThat(this.passed.toByteArray()).as("reads of %d bytes", chunk).isEqualTo(stream);
		}
		assertThat(this.violations).isEmpty();
	}

	@Test
	void aReadLargerThanAPieceReachesTyrusInPiecesInOrder() {
		int frames = 3 * FrameValidator.MAX_PIECE / (MAX + 4) + 1;
		byte[][] parts = new byte[frames][];
		for (int i = 0; i < frames; i++) {
			parts[i] = frame(0x82, MAX);
		}
		byte[] stream = concat(parts);
		List<Integer> pieces = new ArrayList<>();
		FrameValidator validator = new FrameValidator((data) -> {
			pieces.add(data.remaining());
			while (data.hasRemaining()) {
				this.passed.write(data.get());
			}
		}, MAX, false, (code, reason) -> this.violations.add(code + " " + reason));
		validator.handle(ByteBuffer.wrap(stream));
		assertThat(pieces).hasSize(4)
			.allSatisfy((size) -> assertThat(size).isLessThanOrEqualTo(FrameValidator.MAX_PIECE));
		assertThat(this.passed.toByteArray()).isEqualTo(stream);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void maskedFrameIsRefusedEvenWhenItsHeaderArrivesByteByByte() {
		FrameValidator validator = validator(false);
		byte[] masked = { (byte) 0x81, (byte) 0x85, 1, 2, 3, 4, 'h', 'e', 'l', 'l', 'o' };
		for (byte b : masked) {
			validator.handle(ByteBuffer.wrap(new byte[] { b }));
		}
		assertThat(this.violations).containsExactly("1002 Masked frame from the server");
		assertThat(this.passed.toByteArray()).as("only the first header byte, before it was known").hasSize(1);
	}

	@Test
	void framesBeforeAViolationArePassedAndNothingAfterIt() {
		byte[] valid = frame(0x81, 4);
		FrameValidator validator = validator(false);
		validator.handle(ByteBuffer.wrap(concat(valid, frame(0x83, 1), frame(0x81, 4))));
		validator.handle(ByteBuffer.wrap(frame(0x81, 4)));
		assertThat(this.violations).containsExactly("1002 Reserved opcode 3");
		assertThat(this.passed.toByteArray()).isEqualTo(valid);
	}

	@Test
	void frameAnnouncingMoreThanTheLimitIsRefusedOnItsHeader() {
		FrameValidator validator = validator(false);
		validator.handle(ByteBuffer.wrap(new byte[] { (byte) 0x82, 127, 0, 0, 0, 0, 0, 0, 0x03, (byte) 0xE9 }));
		assertThat(this.violations).containsExactly("1009 Frame of 1001 bytes exceeds max-message-size (1000 bytes)");
		assertThat(this.passed.size()).isZero();
	}

	@Test
	void negativeLengthIsAProtocolError() {
		validator(false).handle(ByteBuffer.wrap(new byte[] { (byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0 }));
		assertThat(this.violations).containsExactly("1002 Frame length with the most significant bit set");
	}

	@Test
	void rsv1IsAllowedOnlyOnTheFirstFrameOfACompressedMessage() {
		byte[] compressed = concat(frame(0x41, 10), frame(0x00, 10), frame(0x89, 0), frame(0x80, 10));
		validator(true).handle(ByteBuffer.wrap(compressed));
		assertThat(this.violations).isEmpty();
		validator(false).handle(ByteBuffer.wrap(frame(0xC1, 1)));
		validator(true).handle(ByteBuffer.wrap(concat(frame(0x01, 1), frame(0xC0, 1))));
		validator(true).handle(ByteBuffer.wrap(frame(0xC9, 1)));
		validator(true).handle(ByteBuffer.wrap(frame(0xA2, 1)));
		assertThat(this.violations).hasSize(4)
			.allSatisfy((violation) -> assertThat(violation).startsWith("1002 RSV bits"));
	}

	@Test
	void compressedFramesMayBeSlightlyLongerThanTheLimit() {
		validator(true).handle(ByteBuffer.wrap(concat(frame(0x42, MAX + 64), frame(0x80, MAX + 64))));
		assertThat(this.violations).isEmpty();
		validator(false).handle(ByteBuffer.wrap(frame(0x82, MAX + 1)));
		assertThat(this.violations).hasSize(1);
	}

	@Test
	void controlFramesMustBeFinalAndShort() {
		validator(false).handle(ByteBuffer.wrap(frame(0x09, 1)));
		validator(false).handle(ByteBuffer.wrap(frame(0x89, 126)));
		assertThat(this.violations).containsExactly("1002 Fragmented control frame",
				"1002 Control frame longer than 125 bytes");
	}

	/** An unmasked frame: first byte as given, payload of zeros. */
	private static byte[] frame(int firstByte, int length) {
		ByteBuffer frame = ByteBuffer.allocate(10 + length);
		frame.put((byte) firstByte);
		if (length <= 125) {
			frame.put((byte) length);
		}
		else if (length <= 0xFFFF) {
			frame.put((byte) 126).putShort((short) length);
		}
		else {
			frame.put((byte) 127).putLong(length);
		}
		frame.put(new byte[length]);
		byte[] bytes = new byte[frame.position()];
		frame.flip().get(bytes);
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
