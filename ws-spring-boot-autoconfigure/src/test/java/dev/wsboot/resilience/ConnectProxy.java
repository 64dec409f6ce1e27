package dev.wsboot.resilience;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A small HTTP proxy that only tunnels: it answers {@code CONNECT host:port} with 200 and
 * relays bytes both ways, or refuses as told (407 without the expected Basic credentials,
 * or a fixed status). Blocking sockets on {@code 127.0.0.1} and a random port; it records
 * every request it received. Every destination host name is taken to mean the loopback
 * address, so tests can use names the JVM would never send to a proxy (the JDK's default
 * proxy selector connects directly to {@code 127.0.0.1} and {@code localhost}).
 */
final class ConnectProxy implements AutoCloseable {

	private final ServerSocket listening;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger tunnels = new AtomicInteger();

	private volatile String requiredAuthorization;

	private volatile int refuseWith;

	private volatile boolean keepRefusedConnections;

	private final AtomicInteger refusedOpen = new AtomicInteger();

	private ConnectProxy() throws IOException {
		this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "connect-proxy-" + this.listening.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static ConnectProxy start() {
		try {
			return new ConnectProxy();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Answer 407 unless the request carries these Basic credentials. */
	ConnectProxy requireBasic(String username, String password) {
		this.requiredAuthorization = basic(username, password);
		return this;
	}

	/** Answer every request with this status (0: tunnel). */
	ConnectProxy refuseWith(int status) {
		this.refuseWith = status;
		return this;
	}

	/**
	 * After a refusal, keep the connection open (as keep-alive proxies do) until the
	 * client closes it.
	 */
	ConnectProxy keepRefusedConnections() {
		this.keepRefusedConnections = true;
		return this;
	}

	/**
	 * Refused connections the client has not closed yet (with
	 * {@link #keepRefusedConnections()}).
	 */
	int refusedConnectionsOpen() {
		return this.refusedOpen.get();
	}

	int port() {
		return this.listening.getLocalPort();
	}

	/** {@code http://127.0.0.1:<port>}. */
	URI url() {
		return URI.create("http://127.0.0.1:" + port());
	}

	/** {@code http://<userInfo>@127.0.0.1:<port>}. */
	URI url(String userInfo) {
		return URI.create("http://" + userInfo + "@127.0.0.1:" + port());
	}

	List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/** Tunnels opened (requests answered with 200). */
	int tunnels() {
		return this.tunnels.get();
	}

	List<Request> awaitRequests(int count) {
		await().atMost(RecordedEvents.TIMEOUT).until(() -> this.requests.size() >= count);
		return requests();
	}

	static String basic(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void close() throws IOException {
		this.listening.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	private void accept() {
		while (true) {
			Socket client;
			try {
				client = this.listening.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.sockets.add(client);
			Thread handler = new Thread(() -> handle(client), "connect-proxy-client");
			handler.setDaemon(true);
			handler.start();
		}
	}

	private void handle(Socket client) {
		try {
			InputStream in = client.getInputStream();
			OutputStream out = client.getOutputStream();
			String head = readHead(in);
			if (head == null) {
				client.close();
				return;
			}
			String[] lines = head.split("\r\n");
			String[] requestLine = lines[0].split(" ");
			Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
				}
			}
			Request request = new Request(requestLine[0], requestLine[1], headers.get("Proxy-Authorization"),
					Map.copyOf(headers));
			this.requests.add(request);
			if (!request.method().equals("CONNECT")) {
				refuse(client, 405, "Method Not Allowed", "");
				return;
			}
			String required = this.requiredAuthorization;
			if (required != null && !required.equals(request.proxyAuthorization())) {
				refuse(client, 407, "Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"test\"\r\n");
				return;
			}
			int status = this.refuseWith;
			if (status != 0) {
				refuse(client, status, (status == 403) ? "Forbidden" : (status == 502) ? "Bad Gateway" : "Refused", "");
				return;
			}
			int colon = request.target().lastIndexOf(':');
			Socket target = new Socket(InetAddress.getLoopbackAddress(),
					Integer.parseInt(request.target().substring(colon + 1)));
			this.sockets.add(target);
			out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			this.tunnels.incrementAndGet();
			Thread upstream = new Thread(() -> pump(client, target), "connect-proxy-up");
			upstream.setDaemon(true);
			upstream.start();
			pump(target, client);
		}
		catch (IOException | RuntimeException ex) {
			close(client);
		}
	}

	private void refuse(Socket client, int status, String reason, String headers) throws IOException {
		boolean keep = this.keepRefusedConnections;
		String response = "HTTP/1.1 " + status + " " + reason + "\r\n" + headers + "Content-Length: 0\r\n"
				+ (keep ? "" : "Connection: close\r\n") + "\r\n";
		client.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
		client.getOutputStream().flush();
		if (keep) {
			this.refusedOpen.incrementAndGet();
			try {
				while (client.getInputStream().read() != -1) {
					// until the client closes
				}
			}
			catch (IOException ex) {
				// closed
			}
			this.refusedOpen.decrementAndGet();
		}
		client.close();
	}

	/** The request head, read byte by byte so that nothing after it is consumed. */
	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4 && head.size() < 16 * 1024) {
			int b = in.read();
			if (b == -1) {
				return null;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int count;
			while ((count = in.read(buffer)) != -1) {
				out.write(buffer, 0, count);
				out.flush();
			}
		}
		catch (IOException ex) {
			// either side closed
		}
		finally {
			close(from);
			close(to);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * A request the proxy received.
	 *
	 * @param method the method, {@code CONNECT} from a WebSocket client
	 * @param target the request target, {@code host:port} for {@code CONNECT}
	 * @param proxyAuthorization the {@code Proxy-Authorization} header, or {@code null}
	 * @param headers every header, by case-insensitive name
	 */
	record Request(String method, String target, String proxyAuthorization, Map<String, String> headers) {
	}

}
