package dev.wsboot.benchmarks;

import java.net.URI;
import java.util.concurrent.Future;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;

import org.springframework.context.SmartLifecycle;

/**
 * What {@link StartupTime}'s application does without the starter when it keeps the same
 * feature by hand, as a Spring user would with raw Tyrus: one client on Tyrus's default
 * Grizzly container, connected when the context starts (asynchronously: the context does
 * not wait for it, like the starter's), each text message handed to the {@code Handler},
 * closed when the context stops. Only loaded with {@code -Dstartup.raw=true}; its class
 * path has Tyrus but none of the starter's jars or spring-messaging.
 */
final class RawTyrusClient implements SmartLifecycle {

	private final URI url;

	private final StartupTime.Handler handler;

	private volatile Future<Session> session;

	RawTyrusClient(String url, StartupTime.Handler handler) {
		this.url = URI.create(url);
		this.handler = handler;
	}

	@Override
	public void start() {
		try {
			this.session = ClientManager.createClient().asyncConnectToServer(new Endpoint() {

				@Override
				public void onOpen(Session session, EndpointConfig config) {
					session.addMessageHandler(String.class,
							(MessageHandler.Whole<String>) RawTyrusClient.this.handler::onText);
				}

			}, ClientEndpointConfig.Builder.create().build(), this.url);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start connecting to " + this.url, ex);
		}
	}

	@Override
	public void stop() {
		try {
			this.session.get().close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not close the connection to " + this.url, ex);
		}
		this.session = null;
	}

	@Override
	public boolean isRunning() {
		return this.session != null;
	}

	/** Whether the connection is open (for the start-up's {@code openMillis}). */
	boolean isOpen() {
		Future<Session> session = this.session;
		try {
			return session != null && session.isDone() && session.get().isOpen();
		}
		catch (Exception ex) {
			return false;
		}
	}

}
