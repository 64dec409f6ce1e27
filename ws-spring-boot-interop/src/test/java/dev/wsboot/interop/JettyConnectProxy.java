package dev.wsboot.interop;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;

/**
 * An independent HTTP proxy: Jetty 12's {@link ConnectHandler}, which tunnels
 * {@code CONNECT} requests, on 127.0.0.1 with a random port. It records the target of
 * each {@code CONNECT} it is asked for.
 */
final class JettyConnectProxy implements AutoCloseable {

	private final Server server = new Server();

	private final ServerConnector connector;

	private final List<String> targets = new CopyOnWriteArrayList<>();

	JettyConnectProxy() {
		this.connector = new ServerConnector(this.server);
		this.connector.setHost("127.0.0.1");
		this.connector.setPort(0);
		this.server.addConnector(this.connector);
		this.server.setHandler(new ConnectHandler() {

			@Override
			protected void handleConnect(Request request, Response response, Callback callback, String serverAddress) {
				JettyConnectProxy.this.targets.add(serverAddress);
				super.handleConnect(request, response, callback, serverAddress);
			}

		});
		try {
			this.server.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Jetty's CONNECT proxy did not start", ex);
		}
	}

	/**
	 * The proxy's address, as {@code proxy.url} takes it.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	URI url() {
		return URI.create("http://127.0.0.1:" + this.connector.getLocalPort());
	}

	/**
	 * The {@code host:port} of each {@code CONNECT} so far.
	 * @return the targets, oldest first
	 */
	List<String> targets() {
		return List.copyOf(this.targets);
	}

	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
