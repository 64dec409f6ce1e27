package dev.wsboot.client;

/**
 * {@link WsClientIntegrationTests} on the Tyrus transport (the default).
 */
class TyrusWsClientIntegrationTests extends WsClientIntegrationTests {

	@Override
	String transport() {
		return "tyrus";
	}

}
