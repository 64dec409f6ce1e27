package dev.wsboot.conformance;

import dev.wsboot.annotation.WsListener;

/**
 * What the fuzzing server expects of a client under test: every message sent back
 * unchanged, text as text and binary as binary.
 */
final class CaseEcho {

	@WsListener
	String echoText(String text) {
		return text;
	}

	@WsListener
	byte[] echoBinary(byte[] data) {
		return data;
	}

}
