package dev.wsboot.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The interoperability cases against Tyrus's WebSocket server.
 */
class TyrusInteropIntegrationTests extends AbstractInteropIntegrationTests {

	private static TyrusServer server;

	@BeforeAll
	static void startServer() {
		server = new TyrusServer();
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
