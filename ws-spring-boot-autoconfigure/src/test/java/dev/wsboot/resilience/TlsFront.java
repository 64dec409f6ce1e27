package dev.wsboot.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.wsboot.test.WsTestServer;

/**
 * TLS in front of a plain {@link WsTestServer} (which speaks only TCP): accepts TLS
 * connections on {@code 127.0.0.1} and a random port and relays the decrypted bytes to
 * the server, so that every scripting and recording feature of the server works for
 * {@code wss://}. The certificates are self-signed, made with {@code keytool} at test
 * time.
 */
final class TlsFront implements AutoCloseable {

	static final String PASSWORD = "changeit";

	private final SSLServerSocket listening;

	private final int backendPort;

	private TlsFront(SSLContext context, boolean needClientAuth, int backendPort) throws IOException {
		this.backendPort = backendPort;
		this.listening = (SSLServerSocket) context.getServerSocketFactory()
			.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.listening.setNeedClientAuth(needClientAuth);
		Thread acceptor = new Thread(this::accept, "tls-front-" + this.listening.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start TLS in front of the server.
	 * @param server the plain server
	 * @param identity the server's key store (PKCS12)
	 * @param trustedClients trust store of client certificates to require, or
	 * {@code null} for no client authentication
	 * @return the running front
	 */
	static TlsFront start(WsTestServer server, Path identity, Path trustedClients) throws Exception {
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(load(identity), PASSWORD.toCharArray());
		TrustManagerFactory trust = null;
		if (trustedClients != null) {
			trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(load(trustedClients));
		}
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), (trust != null) ? trust.getTrustManagers() : null, null);
		return new TlsFront(context, trustedClients != null, server.port());
	}

	/**
	 * A {@code wss://} URL on this front.
	 * @param path the path
	 * @return the URL
	 */
	URI url(String path) {
		return URI.create("wss://127.0.0.1:" + this.listening.getLocalPort() + path);
	}

	@Override
	public void close() throws IOException {
		this.listening.close();
	}

	private void accept() {
		while (true) {
			SSLSocket client;
			try {
				client = (SSLSocket) this.listening.accept();
			}
			catch (IOException ex) {
				return;
			}
			Thread relay = new Thread(() -> relay(client), "tls-front-relay");
			relay.setDaemon(true);
			relay.start();
		}
	}

	private void relay(SSLSocket client) {
		try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), this.backendPort)) {
			client.startHandshake();
			backend.setTcpNoDelay(true);
			Thread upstream = new Thread(() -> pump(client, backend), "tls-front-up");
			upstream.setDaemon(true);
			upstream.start();
			pump(backend, client);
		}
		catch (IOException ex) {
			// handshake refused (e.g. untrusted client) or connection gone
		}
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
			try {
				from.close();
				to.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	/**
	 * Make a PKCS12 key store with a self-signed certificate for {@code 127.0.0.1} and
	 * {@code localhost}, using the JDK's {@code keytool}.
	 * @param file where to write the key store
	 * @param commonName the certificate's CN
	 * @return the file
	 */
	static Path selfSigned(Path file, String commonName) throws Exception {
		return selfSigned(file, commonName, "ip:127.0.0.1,dns:localhost");
	}

	/**
	 * Make a PKCS12 key store with a self-signed certificate, using the JDK's
	 * {@code keytool}.
	 * @param file where to write the key store
	 * @param commonName the certificate's CN
	 * @param subjectAlternativeNames the names it is valid for, e.g.
	 * {@code dns:example.com}
	 * @return the file
	 */
	static Path selfSigned(Path file, String commonName, String subjectAlternativeNames) throws Exception {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", commonName, "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAlternativeNames,
				"-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
				"-keypass", PASSWORD)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("keytool failed: " + output);
		}
		return file;
	}

	/**
	 * Make a PKCS12 trust store holding the certificates of the given key stores.
	 * @param file where to write the trust store
	 * @param identities key stores whose certificates to trust
	 * @return the file
	 */
	static Path trustStore(Path file, List<Path> identities) throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		for (Path identity : identities) {
			KeyStore keys = load(identity);
			String alias = keys.aliases().nextElement();
			Certificate certificate = keys.getCertificate(alias);
			trust.setCertificateEntry(alias, certificate);
		}
		try (OutputStream out = Files.newOutputStream(file)) {
			trust.store(out, PASSWORD.toCharArray());
		}
		return file;
	}

	private static KeyStore load(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
