package dev.wsboot.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on {@code 127.0.0.1} that accepts every connection, reads the upgrade
 * request and never answers it: what a connect timeout has to let go of. It records when
 * each connection was accepted and when the client closed it.
 */
final class SilentHandshakeServer implements AutoCloseable {

	private final ServerSocket serverSocket;

	private final List<Accepted> accepted = new CopyOnWriteArrayList<>();

	private SilentHandshakeServer(ServerSocket serverSocket) {
		this.serverSocket = serverSocket;
		Thread acceptor = new Thread(this::accept, "silent-handshake-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static SilentHandshakeServer start() throws IOException {
		return new SilentHandshakeServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
	}

	URI url() {
		return URI.create("ws://127.0.0.1:" + this.serverSocket.getLocalPort() + "/silent");
	}

	/** Every connection accepted so far, in order. */
	List<Accepted> accepted() {
		return List.copyOf(this.accepted);
	}

	/** How many accepted connections the client has not closed yet. */
	long open() {
		return this.accepted.stream().filter((connection) -> connection.closedNanos() == 0).count();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				Accepted connection = new Accepted(socket, System.nanoTime());
				this.accepted.add(connection);
				Thread reader = new Thread(connection::readUntilClosed, "silent-handshake-connection");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Accepted connection : this.accepted) {
			connection.socket.close();
		}
	}

	static final class Accepted {

		private final Socket socket;

		private final long acceptedNanos;

		private volatile long closedNanos;

		Accepted(Socket socket, long acceptedNanos) {
			this.socket = socket;
			this.acceptedNanos = acceptedNanos;
		}

		long acceptedNanos() {
			return this.acceptedNanos;
		}

		/**
		 * When the client closed the connection ({@link System#nanoTime()}), 0 while it
		 * is open.
		 */
		long closedNanos() {
			return this.closedNanos;
		}

		private void readUntilClosed() {
			byte[] buffer = new byte[4096];
			try (InputStream in = this.socket.getInputStream()) {
				while (in.read(buffer) != -1) {
					// the upgrade request: never answered
				}
			}
			catch (IOException ex) {
				// reset by the client or closed by the server
			}
			this.closedNanos = System.nanoTime();
		}

	}

}
