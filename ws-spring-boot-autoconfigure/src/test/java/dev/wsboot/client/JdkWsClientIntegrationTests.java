package dev.wsboot.client;

/**
 * {@link WsClientIntegrationTests} on the JDK's {@code java.net.http.WebSocket}
 * transport.
 */
class JdkWsClientIntegrationTests extends WsClientIntegrationTests {

	@Override
	String transport() {
		return "jdk";
	}

}
