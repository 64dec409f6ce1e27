package dev.wsboot.transport.tyrus;

import java.lang.reflect.Field;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ConnectionProbe;
import org.glassfish.grizzly.GenericCloseListener;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.jspecify.annotations.Nullable;

/**
 * Hands each TCP connection that Tyrus's Grizzly container opens to the
 * {@link PendingSocket} of its connect, so that a connect that gives up before the server
 * answered the upgrade closes its socket. With a shared transport (which the Tyrus
 * transport uses) the Grizzly container has no handshake timeout of its own: it leaves
 * the socket open until the server answers, or forever.
 * <p>
 * A {@link ConnectionProbe} on Grizzly's shared transport sees each connection as it
 * connects, finds the connect's {@link ValidatingClientContainer} engine in the
 * connection's filter chain, and removes itself from that connection (no cost per read or
 * write). Two fields have no public API and are read by reflection (checked for Tyrus
 * 2.2.2 and Grizzly 4.0): the shared transport ({@code GrizzlyClientSocket.transport})
 * and the engine of {@code GrizzlyClientFilter}. When they cannot be reached, sockets are
 * left to Tyrus, as before, and this is logged once at debug level.
 */
final class GrizzlyHandshakeProbe extends ConnectionProbe.Adapter {

	private static final Log logger = LogFactory.getLog(GrizzlyHandshakeProbe.class);

	private static final String PACKAGE = "org.glassfish.tyrus.container.grizzly.client.";

	static final GrizzlyHandshakeProbe INSTANCE = new GrizzlyHandshakeProbe();

	private final @Nullable Field sharedTransport;

	private final @Nullable Class<?> clientFilter;

	private final @Nullable Field engine;

	private volatile @Nullable Transport watched;

	private GrizzlyHandshakeProbe() {
		Field sharedTransport = null;
		Class<?> clientFilter = null;
		Field engine = null;
		try {
			ClassLoader classLoader = GrizzlyHandshakeProbe.class.getClassLoader();
			sharedTransport = Class.forName(PACKAGE + "GrizzlyClientSocket", false, classLoader)
				.getDeclaredField("transport");
			sharedTransport.setAccessible(true);
			clientFilter = Class.forName(PACKAGE + "GrizzlyClientFilter", false, classLoader);
			engine = clientFilter.getDeclaredField("engine");
			engine.setAccessible(true);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			logger.debug("Sockets of connects that time out before the server answers are left to Tyrus: its"
					+ " Grizzly container's internals cannot be reached", ex);
			sharedTransport = null;
			clientFilter = null;
			engine = null;
		}
		this.sharedTransport = sharedTransport;
		this.clientFilter = clientFilter;
		this.engine = engine;
	}

	/**
	 * Watch the connections of Grizzly's shared transport; called before each connect,
	 * after the container created the transport (it may be a new one after a restart).
	 */
	void watchSharedTransport() {
		Field field = this.sharedTransport;
		if (field == null) {
			return;
		}
		try {
			Transport transport = (Transport) field.get(null);
			if (transport != null && transport != this.watched) {
				synchronized (this) {
					if (transport != this.watched) {
						transport.getConnectionMonitoringConfig().addProbes(this);
						this.watched = transport;
					}
				}
			}
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Cannot watch the connections of Tyrus's Grizzly transport", ex);
		}
	}

	@Override
	public void onConnectEvent(Connection connection) {
		connection.getMonitoringConfig().removeProbes(this);
		PendingSocket socket = pendingSocket(connection);
		if (socket != null) {
			socket.attach(connection::closeSilently);
			connection.addCloseListener((GenericCloseListener) (closeable, type) -> socket.closed());
		}
	}

	private @Nullable PendingSocket pendingSocket(Connection connection) {
		if (!(connection.getProcessor() instanceof FilterChain chain) || this.engine == null) {
			return null;
		}
		try {
			for (Filter filter : chain) {
				if (filter.getClass() == this.clientFilter
						&& this.engine.get(filter) instanceof ValidatingClientContainer.ValidatingEngine validating) {
					return validating.pendingSocket();
				}
			}
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Cannot find the connect of a Grizzly connection", ex);
		}
		return null;
	}

}
