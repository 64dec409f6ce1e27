package dev.wsboot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsClientSnapshot;
import dev.wsboot.client.WsClientState;
import dev.wsboot.client.WsClients;
import dev.wsboot.client.WsSecrets;

/**
 * The {@code wsclients} endpoint: every managed WebSocket client with its state and
 * counters ({@code GET /actuator/wsclients}), one client ({@code GET
 * /actuator/wsclients/{name}}), and the actions {@code connect}, {@code disconnect} and
 * {@code reconnect} ({@code POST /actuator/wsclients/{name}} with
 * {@code {"action":"disconnect"}}). Nothing shown contains a secret: URLs are masked with
 * {@link WsSecrets}, header values never appear.
 * <p>
 * Over HTTP, {@link WsClientsEndpointWebExtension} answers an unknown client with 404 and
 * an unknown action with 400; over JMX both fail the operation with a message.
 */
@Endpoint(id = "wsclients")
public class WsClientsEndpoint {

	private static final Log logger = LogFactory.getLog(WsClientsEndpoint.class);

	private final WsClients clients;

	private final Duration closeTimeout;

	/**
	 * Create the endpoint.
	 * @param clients the clients
	 * @param closeTimeout how long {@code disconnect} and {@code reconnect} wait for the
	 * closing handshake before answering
	 */
	public WsClientsEndpoint(WsClients clients, Duration closeTimeout) {
		Assert.notNull(clients, "'clients' must not be null");
		Assert.notNull(closeTimeout, "'closeTimeout' must not be null");
		this.clients = clients;
		this.closeTimeout = closeTimeout;
	}

	/**
	 * Every client, by name, in configuration order.
	 * @return the clients
	 */
	@ReadOperation
	public WsClientsDescriptor clients() {
		Map<String, WsClientDescriptor> described = new LinkedHashMap<>();
		for (WsClient client : this.clients.all()) {
			described.put(client.name(), describe(client));
		}
		return new WsClientsDescriptor(described);
	}

	/**
	 * One client.
	 * @param name the client's name
	 * @return the client, {@code null} (404 over HTTP) when there is none of that name
	 */
	@ReadOperation
	public @Nullable WsClientDescriptor client(@Selector String name) {
		return this.clients.find(name).map(this::describe).orElse(null);
	}

	/**
	 * Connect, disconnect or reconnect a client.
	 * @param name the client's name
	 * @param action {@code connect}, {@code disconnect} or {@code reconnect}
	 * @return the client after the action was carried out
	 * @throws InvalidEndpointRequestException for an unknown client or action
	 */
	@WriteOperation
	public WsClientDescriptor action(@Selector String name, @Nullable String action) {
		WsClient client = this.clients.find(name)
			.orElseThrow(() -> new InvalidEndpointRequestException(noSuchClient(name), noSuchClient(name)));
		Action parsed = Action.from(action);
		if (parsed == null) {
			throw new InvalidEndpointRequestException(unknownAction(name, action), unknownAction(name, action));
		}
		return perform(client, parsed);
	}

	WsClientDescriptor perform(String name, Action action) {
		return perform(this.clients.get(name), action);
	}

	boolean hasClient(String name) {
		return this.clients.find(name).isPresent();
	}

	String noSuchClient(String name) {
		return "No WebSocket client named '" + name + "'; clients: " + this.clients.names();
	}

	static String unknownAction(String name, @Nullable String action) {
		return ((action != null) ? "Unknown action '" + action + "'" : "Missing action") + " for client '" + name
				+ "'; valid actions: " + Action.names();
	}

	private WsClientDescriptor perform(WsClient client, Action action) {
		logger.info("Client '" + client.name() + "': " + action.value + " requested through the wsclients endpoint");
		switch (action) {
			case CONNECT -> client.connect();
			case DISCONNECT -> awaitClosed(client.close(1000, "Disconnected through the wsclients endpoint"));
			case RECONNECT -> {
				CompletableFuture<Void> closed = client.close(1000, "Reconnecting through the wsclients endpoint");
				if (awaitClosed(closed)) {
					client.connect();
				}
				else {
					// connect once closed, never on the transport thread that completes
					// the close
					closed.whenCompleteAsync((result, failure) -> client.connect());
				}
			}
		}
		return describe(client);
	}

	/**
	 * Wait for the closing handshake (bounded); {@code false} when it is still under way.
	 */
	private boolean awaitClosed(CompletableFuture<Void> closed) {
		try {
			closed.get(this.closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
	}

	private WsClientDescriptor describe(WsClient client) {
		WsClientSnapshot snapshot = client.snapshot().orElse(null);
		if (snapshot == null) {
			return new WsClientDescriptor(client.name(), WsSecrets.mask(client.url()), client.state(), null, null, null,
					client.subprotocol().orElse(null), client.latency().map(WsClientsEndpoint::millis).orElse(null),
					client.lastMessageReceived().orElse(null), null, null, client.bufferedAmount(), null, null, null,
					null);
		}
		return new WsClientDescriptor(snapshot.name(), snapshot.url(), snapshot.state(), snapshot.since(),
				snapshot.stoppedByApplication(), snapshot.reconnectAttempts(), snapshot.subprotocol(),
				(snapshot.latency() != null) ? millis(snapshot.latency()) : null, snapshot.lastMessageReceived(),
				new MessageCounts(new Counts(snapshot.textMessagesReceived(), snapshot.binaryMessagesReceived()),
						new Counts(snapshot.textMessagesSent(), snapshot.binaryMessagesSent())),
				new ByteCounts(snapshot.bytesReceived(), snapshot.bytesSent()), snapshot.bufferedBytes(),
				snapshot.reconnects(),
				(snapshot.lastCloseCode() != 0)
						? new CloseDescriptor(snapshot.lastCloseCode(), snapshot.lastCloseReason()) : null,
				snapshot.lastFailure(), snapshot.owner());
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1_000_000.0;
	}

	/**
	 * What {@code POST /actuator/wsclients/{name}} can do.
	 */
	public enum Action {

		/**
		 * {@link WsClient#connect()}: connect and keep reconnecting; nothing when already
		 * connected.
		 */
		CONNECT("connect"),

		/** {@link WsClient#close(int, String)} with 1000: close and stay closed. */
		DISCONNECT("disconnect"),

		/** Close with 1000, then connect again once closed. */
		RECONNECT("reconnect");

		private final String value;

		Action(String value) {
			this.value = value;
		}

		/**
		 * The action's name in requests.
		 * @return the name
		 */
		public String value() {
			return this.value;
		}

		static @Nullable Action from(@Nullable String value) {
			if (value == null) {
				return null;
			}
			String normalized = value.trim().toLowerCase(Locale.ROOT);
			return Arrays.stream(values()).filter((action) -> action.value.equals(normalized)).findFirst().orElse(null);
		}

		static String names() {
			return Arrays.stream(values()).map(Action::value).collect(Collectors.joining(", "));
		}

	}

	/**
	 * Every client, by name.
	 *
	 * @param clients the clients in configuration order
	 */
	public record WsClientsDescriptor(Map<String, WsClientDescriptor> clients) implements OperationResponseBody {

	}

	/**
	 * One client. Fields a client not managed by the starter cannot tell are
	 * {@code null}.
	 *
	 * @param name the client's name
	 * @param url the URL, user-info and query string masked
	 * @param state the state
	 * @param since when the client entered that state
	 * @param stoppedByApplication whether the application closed the client
	 * @param reconnectAttempts consecutive failed attempts since the last open connection
	 * @param subprotocol the negotiated subprotocol, when open
	 * @param latencyMs the last ping round trip in milliseconds
	 * @param lastMessageReceived when the last frame arrived
	 * @param messages messages received and written, by type
	 * @param bytes message payload bytes received and written
	 * @param bufferedBytes bytes accepted by a send but not yet written
	 * @param reconnects reconnect attempts started since the application started
	 * @param lastClose how the last connection ended
	 * @param lastFailure the last failed connection attempt
	 * @param owner whether this replica owns the client, {@code null} unless it is a
	 * cluster singleton
	 */
	public record WsClientDescriptor(String name, String url, WsClientState state, @Nullable Instant since,
			@Nullable Boolean stoppedByApplication, @Nullable Integer reconnectAttempts, @Nullable String subprotocol,
			@Nullable Double latencyMs, @Nullable Instant lastMessageReceived, @Nullable MessageCounts messages,
			@Nullable ByteCounts bytes, long bufferedBytes, @Nullable Long reconnects,
			@Nullable CloseDescriptor lastClose, @Nullable String lastFailure,
			@Nullable Boolean owner) implements OperationResponseBody {

	}

	/**
	 * Messages received and written.
	 *
	 * @param received messages received
	 * @param sent messages written to the socket
	 */
	public record MessageCounts(Counts received, Counts sent) {

	}

	/**
	 * Message counts by type.
	 *
	 * @param text text messages
	 * @param binary binary messages
	 */
	public record Counts(long text, long binary) {

	}

	/**
	 * Message payload bytes (after decompression).
	 *
	 * @param received bytes received
	 * @param sent bytes written to the socket
	 */
	public record ByteCounts(long received, long sent) {

	}

	/**
	 * How a connection ended.
	 *
	 * @param code the close code (1006: no close frame)
	 * @param reason the close reason
	 */
	public record CloseDescriptor(int code, String reason) {

	}

}
