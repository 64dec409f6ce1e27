package dev.wsboot.listener;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import dev.wsboot.client.WsMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WsListenerPayloadExcerpt}.
 */
class WsListenerPayloadExcerptTests {

	@Test
	void shortTextIsShownWhole() {
		assertThat(WsListenerPayloadExcerpt.describe(WsMessage.text("{\"a\":1}", true)))
			.isEqualTo("text message (7 chars) '{\"a\":1}'");
	}

	@Test
	void longTextIsCutAfter200Characters() {
		String text = "x".repeat(200) + "y";
		assertThat(WsListenerPayloadExcerpt.describe(WsMessage.text(text, true)))
			.isEqualTo("text message (201 chars) '" + "x".repeat(200) + "'...");
	}

	@Test
	void lineBreaksAreEscapedSoAPayloadCannotForgeLogLines() {
		assertThat(WsListenerPayloadExcerpt.describe(WsMessage.text("a\nb\r\tc", false)))
			.isEqualTo("text fragment (6 chars) 'a\\nb\\r\\tc'");
	}

	@Test
	void binaryIsShownAsHexOfAtMost100Bytes() {
		assertThat(WsListenerPayloadExcerpt
			.describe(WsMessage.binary(ByteBuffer.wrap(new byte[] { 1, (byte) 0xff }), true)))
			.isEqualTo("binary message (2 bytes) 0x01ff");
		assertThat(WsListenerPayloadExcerpt.describe(WsMessage.binary(ByteBuffer.allocate(101), true)))
			.isEqualTo("binary message (101 bytes) 0x" + "00".repeat(100) + "...");
	}

	@Test
	void exceptionSummaryIsOneLineOfAtMost200Characters() {
		assertThat(WsListenerPayloadExcerpt.summary(new IllegalStateException("bad\n" + "z".repeat(300))))
			.isEqualTo("java.lang.IllegalStateException: bad\\n" + "z".repeat(196) + "...");
		assertThat(WsListenerPayloadExcerpt.summary(new IllegalStateException()))
			.isEqualTo("java.lang.IllegalStateException");
	}

}
