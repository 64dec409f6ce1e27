package dev.wsboot.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The interoperability cases against Tomcat's WebSocket server.
 */
class TomcatInteropIntegrationTests extends AbstractInteropIntegrationTests {

	private static TomcatServer server;

	@BeforeAll
	static void startServer() {
		server = new TomcatServer();
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
