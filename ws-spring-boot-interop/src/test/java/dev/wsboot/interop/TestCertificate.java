package dev.wsboot.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made once per
 * test run with the JDK's {@code keytool}: a PKCS12 key store for the servers and a PEM
 * certificate for the client's SSL bundle.
 */
final class TestCertificate {

	static final String PASSWORD = "interop-secret";

	private static TestCertificate instance;

	private final Path keyStore;

	private final Path certificate;

	private TestCertificate(Path directory) throws IOException, InterruptedException {
		this.keyStore = directory.resolve("server.p12");
		this.certificate = directory.resolve("server.pem");
		keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
				this.keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
		keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", this.keyStore.toString(), "-storepass",
				PASSWORD, "-file", this.certificate.toString());
	}

	static synchronized TestCertificate get() {
		if (instance == null) {
			try {
				Path directory = Files.createTempDirectory("ws-interop-tls");
				directory.toFile().deleteOnExit();
				instance = new TestCertificate(directory);
				instance.keyStore.toFile().deleteOnExit();
				instance.certificate.toFile().deleteOnExit();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return instance;
	}

	/** The PKCS12 key store with the server's key and certificate. */
	Path keyStore() {
		return this.keyStore;
	}

	/** The server's certificate, PEM: what the client trusts. */
	Path certificate() {
		return this.certificate;
	}

	/** A server-side context with the key. */
	SSLContext serverContext() {
		try (InputStream in = Files.newInputStream(this.keyStore)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, PASSWORD.toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot load " + this.keyStore, ex);
		}
	}

	/**
	 * The properties of a Spring SSL bundle {@code name} that trusts this certificate.
	 */
	List<String> clientBundle(String name) {
		List<String> properties = new ArrayList<>();
		properties
			.add("spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + this.certificate.toAbsolutePath());
		return properties;
	}

	private static void keytool(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("keytool failed: " + output);
		}
	}

}
