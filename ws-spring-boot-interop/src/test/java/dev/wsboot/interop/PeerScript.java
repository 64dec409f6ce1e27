package dev.wsboot.interop;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every server under test does, written once: echo each message as a whole, and obey
 * the commands a test sends as text ({@code cmd:close:<code>:<reason>},
 * {@code cmd:ping:<payload>}, {@code cmd:fragments:text|binary:<length>:<fragment size>},
 * {@code cmd:flood:<count>:<length>}). A pong from the client is reported back as the
 * text {@code pong:<payload>}. Texts starting with {@code seq:} are recorded in
 * {@link #SEQUENCE} instead of echoed. Each server adapts its own session API to
 * {@link Peer}.
 */
final class PeerScript {

	/** The subprotocols every server supports, in its order of preference. */
	static final List<String> SUBPROTOCOLS = List.of("v2.interop", "v1.interop");

	/** The largest message the servers accept. */
	static final int MAX_MESSAGE_SIZE = 8 * 1024 * 1024;

	/**
	 * How many messages of the last {@code cmd:flood} were written so far (the servers
	 * run in the tests' JVM).
	 */
	static final AtomicInteger FLOODED = new AtomicInteger();

	/**
	 * The texts starting with {@code seq:} the servers received, in order (the servers
	 * run in the tests' JVM).
	 */
	static final List<String> SEQUENCE = new CopyOnWriteArrayList<>();

	private PeerScript() {
	}

	static void onText(Peer peer, String text) throws Exception {
		if (text.startsWith("seq:")) {
			SEQUENCE.add(text);
			return;
		}
		if (!text.startsWith("cmd:")) {
			peer.text(text, true);
			return;
		}
		String[] command = text.split(":", 4);
		switch (command[1]) {
			case "close" -> peer.close(Integer.parseInt(command[2]), (command.length > 3) ? command[3] : "");
			case "ping" -> peer.ping(command[2].getBytes(StandardCharsets.UTF_8));
			case "fragments" -> sendFragments(peer, command[2].equals("text"),
					Integer.parseInt(command[3].split(":")[0]), Integer.parseInt(command[3].split(":")[1]));
			case "flood" -> flood(peer, Integer.parseInt(command[2]), Integer.parseInt(command[3]));
			default -> peer.text("unknown command " + text, true);
		}
	}

	static void onBinary(Peer peer, byte[] data) throws Exception {
		peer.binary(data, true);
	}

	static void onPong(Peer peer, byte[] payload) throws Exception {
		peer.text("pong:" + new String(payload, StandardCharsets.UTF_8), true);
	}

	/**
	 * Send {@code count} texts of {@code length} characters as fast as the connection
	 * takes them, each starting with its number and a colon.
	 */
	private static void flood(Peer peer, int count, int length) throws Exception {
		FLOODED.set(0);
		for (int i = 0; i < count; i++) {
			String number = i + ":";
			peer.text(number + "x".repeat(Math.max(0, length - number.length())), true);
			FLOODED.incrementAndGet();
		}
	}

	/**
	 * Send a message in frames of {@code fragmentSize}; when the size divides the length
	 * (an empty message too), the last frame is an empty one.
	 */
	private static void sendFragments(Peer peer, boolean text, int length, int fragmentSize) throws Exception {
		String message = Payloads.text(length);
		byte[] bytes = Payloads.binary(length);
		int start = 0;
		while (true) {
			int end = Math.min(length, start + fragmentSize);
			boolean last = end == length && (end - start) < fragmentSize;
			if (text) {
				peer.text(message.substring(start, end), last);
			}
			else {
				peer.binary(Arrays.copyOfRange(bytes, start, end), last);
			}
			if (last) {
				return;
			}
			start = end;
		}
	}

	/**
	 * Run a step of the script from a server's callback, which cannot throw checked
	 * exceptions.
	 * @param step the step
	 */
	static void run(Step step) {
		try {
			step.run();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A step of the script. */
	@FunctionalInterface
	interface Step {

		void run() throws Exception;

	}

	/** One server connection, as each server's API sends (blocking until written). */
	interface Peer {

		void text(String text, boolean last) throws Exception;

		void binary(byte[] data, boolean last) throws Exception;

		void ping(byte[] payload) throws Exception;

		void close(int code, String reason) throws Exception;

	}

}
