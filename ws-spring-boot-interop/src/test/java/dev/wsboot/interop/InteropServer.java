package dev.wsboot.interop;

import java.net.URI;
import java.util.List;

/**
 * An independent WebSocket server running in this JVM on 127.0.0.1 with random ports: one
 * plain and one TLS listener, both running {@link PeerScript} at {@code /echo}.
 */
interface InteropServer extends AutoCloseable {

	/**
	 * The server's name and version, as tests show it.
	 * @return the name
	 */
	String name();

	/**
	 * The address of a path on the plain listener.
	 * @param path the path, e.g. {@code /echo}
	 * @return a {@code ws://127.0.0.1:<port>} URI
	 */
	URI url(String path);

	/**
	 * The address of a path on the TLS listener, whose certificate is
	 * {@link TestCertificate}'s.
	 * @param path the path
	 * @return a {@code wss://127.0.0.1:<port>} URI
	 */
	URI secureUrl(String path);

	/**
	 * The permessage-deflate configurations this server can be asked for, each at its own
	 * path; empty when the server has no permessage-deflate.
	 * @return the variants
	 */
	List<DeflateVariant> deflateVariants();

	@Override
	void close();

	/**
	 * A permessage-deflate configuration of the server.
	 *
	 * @param path where the server uses it
	 * @param description what the server answers, e.g. {@code server_no_context_takeover}
	 */
	record DeflateVariant(String path, String description) {

		@Override
		public String toString() {
			return this.description;
		}

	}

}
