package dev.wsboot.listener;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientState;

/**
 * An in-memory {@link WsClient} that records what is sent: enough for testing invocation
 * and replies, which never touch a socket.
 */
final class RecordingWsClient implements WsClient {

	private final String name;

	final List<String> sentText = new CopyOnWriteArrayList<>();

	final List<ByteBuffer> sentBinary = new CopyOnWriteArrayList<>();

	final List<Object> sentObjects = new CopyOnWriteArrayList<>();

	volatile boolean failSends;

	RecordingWsClient(String name) {
		this.name = name;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public URI url() {
		return URI.create("ws://localhost/" + this.name);
	}

	@Override
	public WsClientState state() {
		return WsClientState.OPEN;
	}

	@Override
	public CompletableFuture<Void> sendText(CharSequence text) {
		this.sentText.add(text.toString());
		return result();
	}

	@Override
	public CompletableFuture<Void> sendBinary(ByteBuffer data) {
		this.sentBinary.add(data);
		return result();
	}

	@Override
	public CompletableFuture<Void> sendObject(Object payload) {
		this.sentObjects.add(payload);
		return result();
	}

	private CompletableFuture<Void> result() {
		return this.failSends ? CompletableFuture.failedFuture(new IllegalStateException("send buffer full"))
				: CompletableFuture.completedFuture(null);
	}

	@Override
	public void connect() {
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason) {
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public void terminate() {
	}

	@Override
	public long bufferedAmount() {
		return 0;
	}

	@Override
	public Optional<Duration> latency() {
		return Optional.empty();
	}

	@Override
	public Optional<Instant> lastMessageReceived() {
		return Optional.empty();
	}

	@Override
	public Optional<String> subprotocol() {
		return Optional.empty();
	}

	@Override
	public List<String> extensions() {
		return List.of();
	}

	@Override
	public String toString() {
		return "RecordingWsClient[" + this.name + "]";
	}

}
