package dev.wsboot.test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A JDK {@link WebSocket} client that records what it receives.
 */
final class TestClient implements WebSocket.Listener {

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

	final List<String> textParts = new CopyOnWriteArrayList<>();

	final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();

	final CompletableFuture<Close> closed = new CompletableFuture<>();

	final CompletableFuture<Throwable> error = new CompletableFuture<>();

	private final StringBuilder text = new StringBuilder();

	private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

	WebSocket webSocket;

	record Close(int code, String reason) {
	}

	static TestClient connect(URI uri) {
		return connect(uri, (builder) -> {
		});
	}

	static TestClient connect(URI uri, Consumer<WebSocket.Builder> customizer) {
		TestClient client = new TestClient();
		WebSocket.Builder builder = HTTP.newWebSocketBuilder();
		customizer.accept(builder);
		try {
			client.webSocket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return client;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.textParts.add(data.toString());
		this.text.append(data);
		if (last) {
			this.messages.add(this.text.toString());
			this.text.setLength(0);
		}
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.binary.writeBytes(bytes);
		if (last) {
			this.messages.add(this.binary.toByteArray());
			this.binary.reset();
		}
		return null;
	}

	@Override
	public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
		this.pongs.add(message);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(new Close(statusCode, reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.error.complete(error);
	}

	Object nextMessage() {
		try {
			Object message = this.messages.poll(10, TimeUnit.SECONDS);
			if (message == null) {
				throw new AssertionError("No message within 10s");
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	String nextText() {
		return (String) nextMessage();
	}

	byte[] nextBinary() {
		return (byte[]) nextMessage();
	}

	void send(String message) {
		this.webSocket.sendText(message, true).join();
	}

	void send(byte[] message) {
		this.webSocket.sendBinary(ByteBuffer.wrap(message), true).join();
	}

}
