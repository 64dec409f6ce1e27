package dev.wsboot.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The interoperability cases against Jetty's WebSocket server.
 */
class JettyInteropIntegrationTests extends AbstractInteropIntegrationTests {

	private static JettyServer server;

	@BeforeAll
	static void startServer() {
		server = new JettyServer();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Override
	InteropServer server() {
		return server;
	}

}
