package dev.wsboot.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * Serves one accepted socket on its own thread: performs the handshake as decided by the
 * server, publishes the connection, starts its reader and runs the connection script.
 */
final class ConnectionHandler implements Runnable {

	private final WsTestServer server;

	private final Socket socket;

	private final int id;

	private final Consumer<WsTestConnection> script;

	ConnectionHandler(WsTestServer server, Socket socket, int id, Consumer<WsTestConnection> script) {
		this.server = server;
		this.socket = socket;
		this.id = id;
		this.script = script;
	}

	@Override
	public void run() {
		WsTestConnection connection;
		try {
			connection = upgrade();
		}
		catch (IOException | UncheckedIOException ex) {
			connection = null;
		}
		finally {
			this.server.handshakeDone(this.socket);
		}
		if (connection == null) {
			closeQuietly(this.socket);
			return;
		}
		try {
			this.script.accept(connection);
		}
		catch (Throwable ex) {
			this.server.recordFailure("Script of " + connection, ex);
		}
	}

	/**
	 * Perform the handshake.
	 * @return the connection, or {@code null} when the handshake was refused or dropped
	 */
	private WsTestConnection upgrade() throws IOException {
		this.socket.setTcpNoDelay(true);
		InputStream in = new BufferedInputStream(this.socket.getInputStream());
		OutputStream out = new BufferedOutputStream(this.socket.getOutputStream());
		HandshakeCodec.Request request = HandshakeCodec.read(in);
		WsTestHandshake handshake = request.handshake();
		this.server.recordHandshake(handshake);
		if (!request.isValid()) {
			HandshakeCodec.writeRefusal(out, request.errorStatus(), null);
			return null;
		}
		WsTestHandshakeResponse response;
		try {
			response = this.server.decide(handshake);
		}
		catch (Throwable ex) {
			this.server.recordFailure("Handshake function for " + handshake.path(), ex);
			HandshakeCodec.writeRefusal(out, 500, null);
			return null;
		}
		if (response.isDrop()) {
			return null;
		}
		if (!response.isAccepted()) {
			HandshakeCodec.writeRefusal(out, response.status(), response);
			return null;
		}
		WsTestConnection connection = new WsTestConnection(this.id, this.socket, in, out, handshake,
				response.permessageDeflate(), this.server.recordsPayloads());
		// Recorded before the 101 goes out, so a client that saw the upgrade finds the
		// connection; holding the stream's lock (the one every frame write takes) keeps a
		// test
		// that sends on the connection at once from writing before the 101
		synchronized (out) {
			this.server.record(connection);
			try {
				HandshakeCodec.writeAccept(out, handshake.header("Sec-WebSocket-Key"), response);
			}
			catch (IOException ex) {
				this.server.forget(connection);
				throw ex;
			}
		}
		this.server.publish(connection);
		return connection;
	}

	static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// ignore
		}
	}

}
