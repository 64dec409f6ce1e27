package dev.wsboot.client;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a managed client for health, metrics and the {@code wsclients}
 * endpoint. Contains no secrets: the URL is masked.
 *
 * @param name the client's name
 * @param url the masked URL
 * @param state the state
 * @param since when the client entered that state
 * @param stoppedByApplication whether the application closed the client
 * @param reconnectAttempts consecutive failed attempts since the last open connection
 * @param lastCloseCode the close code of the last connection, 0 before the first close
 * @param lastCloseReason the close reason of the last connection
 * @param lastFailure the last connection failure, without secrets
 * @param textMessagesReceived text messages received
 * @param binaryMessagesReceived binary messages received
 * @param bytesReceived payload bytes received
 * @param textMessagesSent text messages written
 * @param binaryMessagesSent binary messages written
 * @param bytesSent payload bytes written
 * @param reconnects reconnect attempts started
 * @param bufferedBytes bytes waiting to be written
 * @param latency the last ping round trip
 * @param pongs pongs received in answer to the client's pings
 * @param latencyTotal sum of all measured ping round trips
 * @param lastMessageReceived when the last frame arrived
 * @param subprotocol the negotiated subprotocol
 * @param owner whether this replica owns the client, {@code null} when the client is not
 * a cluster singleton
 * @param protocol the protocol-level view: ready gate and heartbeat
 */
public record WsClientSnapshot(String name, String url, WsClientState state, Instant since,
		boolean stoppedByApplication, int reconnectAttempts, int lastCloseCode, String lastCloseReason,
		@Nullable String lastFailure, long textMessagesReceived, long binaryMessagesReceived, long bytesReceived,
		long textMessagesSent, long binaryMessagesSent, long bytesSent, long reconnects, long bufferedBytes,
		@Nullable Duration latency, long pongs, Duration latencyTotal, @Nullable Instant lastMessageReceived,
		@Nullable String subprotocol, @Nullable Boolean owner, Protocol protocol) {

	/**
	 * The protocol-level view of a client.
	 *
	 * @param ready whether the connection is open and ready for the application's
	 * messages
	 * @param notReadyReason why an open connection is not ready, {@code null} otherwise
	 * @param heartbeats protocol heartbeats acknowledged
	 * @param heartbeatTotal sum of all beat to acknowledgement times
	 */
	public record Protocol(boolean ready, @Nullable String notReadyReason, long heartbeats, Duration heartbeatTotal) {

	}

}
