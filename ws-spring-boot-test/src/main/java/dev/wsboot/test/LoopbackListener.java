package dev.wsboot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The listening socket of a {@link WsTestServer}: a port on {@code 127.0.0.1} that stays
 * the same across {@link #stop()} and {@link #listen()}, and a thread that hands every
 * accepted socket over.
 */
final class LoopbackListener {

	/** Below the kernel's ephemeral range (32768 and up on Linux). */
	private static final int FIRST_PORT = 20000;

	private static final int LAST_PORT = 32767;

	private final Consumer<Socket> accepted;

	private final int port;

	private final Object lifecycle = new Object();

	private ServerSocket serverSocket;

	private boolean closed;

	private LoopbackListener(ServerSocket serverSocket, Consumer<Socket> accepted) {
		this.serverSocket = serverSocket;
		this.port = serverSocket.getLocalPort();
		this.accepted = accepted;
		startAccepting(serverSocket);
	}

	/**
	 * Listen on a free port below the kernel's ephemeral range, so that while the server
	 * is stopped neither another {@code bind(0)} nor the source port of an outgoing
	 * connection (a reconnecting client's, say) takes it.
	 * @param accepted called on the accepting thread with each new socket, which may have
	 * been accepted just before a {@link #stop()}: check {@link #isListening()} after
	 * registering it where {@code stop()}'s caller will find it
	 * @return the listener, accepting
	 */
	static LoopbackListener start(Consumer<Socket> accepted) {
		for (int attempt = 0; attempt < 50; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT + 1);
			try {
				return new LoopbackListener(bind(port), accepted);
			}
			catch (UncheckedIOException ex) {
				// taken: try another
			}
		}
		return new LoopbackListener(bind(0), accepted);
	}

	int port() {
		return this.port;
	}

	boolean isListening() {
		synchronized (this.lifecycle) {
			return this.serverSocket != null;
		}
	}

	/**
	 * Stop accepting and release the port; sockets already accepted stay open.
	 */
	void stop() {
		ServerSocket listening;
		synchronized (this.lifecycle) {
			listening = this.serverSocket;
			this.serverSocket = null;
		}
		if (listening != null) {
			ConnectionHandler.closeQuietly(listening);
		}
	}

	/**
	 * Listen on the same port again (after {@link #stop()}).
	 * @throws IllegalStateException when closed
	 */
	void listen() {
		synchronized (this.lifecycle) {
			if (this.closed) {
				throw new IllegalStateException("The server is closed");
			}
			if (this.serverSocket == null) {
				this.serverSocket = bind(this.port);
				startAccepting(this.serverSocket);
			}
		}
	}

	/**
	 * Stop for good.
	 * @return whether this call closed it (false when it was already closed)
	 */
	boolean close() {
		boolean first;
		synchronized (this.lifecycle) {
			first = !this.closed;
			this.closed = true;
		}
		stop();
		return first;
	}

	boolean isClosed() {
		synchronized (this.lifecycle) {
			return this.closed;
		}
	}

	private void startAccepting(ServerSocket listening) {
		Thread acceptor = new Thread(() -> accept(listening), "ws-test-server-" + this.port + "-acceptor");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept(ServerSocket listening) {
		while (true) {
			Socket socket;
			try {
				socket = listening.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.accepted.accept(socket);
		}
	}

	private static ServerSocket bind(int port) {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), port), 128);
			return socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, ex);
		}
	}

}
