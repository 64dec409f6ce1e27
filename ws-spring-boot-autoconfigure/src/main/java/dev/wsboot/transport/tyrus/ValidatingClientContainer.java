package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import org.glassfish.tyrus.core.TyrusExtension;
import org.glassfish.tyrus.spi.ClientContainer;
import org.glassfish.tyrus.spi.ClientEngine;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.ReadHandler;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.Writer;
import org.jspecify.annotations.Nullable;

/**
 * The Tyrus client container the {@link TyrusWsTransport} uses: it delegates to a real
 * container (Grizzly or JDK) and puts a {@link FrameValidator} in front of Tyrus's
 * reading of every connection it opens.
 * <p>
 * Infrastructure, not API: Tyrus creates its container from a class name with a public
 * no-argument constructor, so this class has to be public. The delegate comes from the
 * {@link #DELEGATE} property of the {@code ClientManager}, the limits and the listener
 * from the {@link #VALIDATION} user property of each {@link ClientEndpointConfig}.
 */
public final class ValidatingClientContainer implements ClientContainer {

	/** {@code ClientManager} property: the class name of the container to delegate to. */
	static final String DELEGATE = ValidatingClientContainer.class.getName() + ".delegate";

	/** {@link ClientEndpointConfig} user property: a {@link Validation}. */
	static final String VALIDATION = ValidatingClientContainer.class.getName() + ".validation";

	private @Nullable ClientContainer delegate;

	/**
	 * Create a container; Tyrus does, once per {@code ClientManager}.
	 */
	public ValidatingClientContainer() {
	}

	@Override
	public void openClientSocket(ClientEndpointConfig config, Map<String, Object> properties, ClientEngine engine)
			throws DeploymentException, IOException {
		Object validation = config.getUserProperties().get(VALIDATION);
		ClientContainer delegate = delegate(properties);
		delegate.openClientSocket(config, properties, (validation instanceof Validation valid)
				? new ValidatingEngine(engine, valid, isGrizzly(delegate)) : engine);
	}

	private synchronized ClientContainer delegate(Map<String, Object> properties) {
		if (this.delegate == null) {
			Object name = properties.get(DELEGATE);
			this.delegate = create((name != null) ? name.toString() : TyrusWsTransport.GRIZZLY_CONTAINER);
		}
		return this.delegate;
	}

	private static boolean isGrizzly(ClientContainer container) {
		return container.getClass().getName().equals(TyrusWsTransport.GRIZZLY_CONTAINER);
	}

	/**
	 * Check that a Tyrus client container can be loaded, without creating it.
	 * @param className its class name
	 * @throws IllegalStateException when it cannot be loaded or is no container
	 */
	static void check(String className) {
		try {
			Class<?> type = Class.forName(className, false, ValidatingClientContainer.class.getClassLoader());
			if (!ClientContainer.class.isAssignableFrom(type)) {
				throw new ClassCastException(className + " is not a " + ClientContainer.class.getName());
			}
		}
		catch (ReflectiveOperationException | ClassCastException | LinkageError ex) {
			throw cannotBeCreated(className, ex);
		}
	}

	/**
	 * Create a Tyrus client container.
	 * @param className its class name
	 * @return the container
	 * @throws IllegalStateException when it cannot be created
	 */
	static ClientContainer create(String className) {
		try {
			Class<?> type = Class.forName(className, true, ValidatingClientContainer.class.getClassLoader());
			return (ClientContainer) type.getConstructor().newInstance();
		}
		catch (ReflectiveOperationException | ClassCastException | LinkageError ex) {
			throw cannotBeCreated(className, ex);
		}
	}

	private static IllegalStateException cannotBeCreated(String className, Throwable cause) {
		return new IllegalStateException("Tyrus client container '" + className + "' cannot be created; is its jar"
				+ " (tyrus-container-grizzly-client or tyrus-container-jdk-client) on the class path?", cause);
	}

	/**
	 * What to validate on one connection.
	 *
	 * @param maxMessageSize the request's max-message-size
	 * @param listener told about a violation
	 * @param socket the connect's TCP connection until the server answered
	 */
	record Validation(long maxMessageSize, FrameValidator.Listener listener, PendingSocket socket) {
	}

	/**
	 * Wraps the read handler of the connection a successful upgrade creates, and tracks
	 * the connection until the server answered.
	 */
	static final class ValidatingEngine implements ClientEngine {

		private final ClientEngine engine;

		private final Validation validation;

		private final boolean grizzly;

		ValidatingEngine(ClientEngine engine, Validation validation, boolean grizzly) {
			this.engine = engine;
			this.validation = validation;
			this.grizzly = grizzly;
		}

		PendingSocket pendingSocket() {
			return this.validation.socket();
		}

		@Override
		public UpgradeRequest createUpgradeRequest(TimeoutHandler timeoutHandler) {
			if (this.grizzly) {
				// called once the container has its transport, before it connects
				GrizzlyHandshakeProbe.INSTANCE.watchSharedTransport();
			}
			return this.engine.createUpgradeRequest(timeoutHandler);
		}

		@Override
		public ClientUpgradeInfo processResponse(UpgradeResponse response, Writer writer,
				Connection.CloseListener closeListener) {
			this.validation.socket().answered();
			ClientUpgradeInfo info = this.engine.processResponse(response, writer, closeListener);
			if (info.getUpgradeStatus() != ClientUpgradeStatus.SUCCESS) {
				return info;
			}
			boolean deflate = negotiatesDeflate(response);
			return new ClientUpgradeInfo() {

				@Override
				public ClientUpgradeStatus getUpgradeStatus() {
					return ClientUpgradeStatus.SUCCESS;
				}

				@Override
				public Connection createConnection() {
					Connection connection = info.createConnection();
					FrameValidator validator = new FrameValidator(connection.getReadHandler(),
							ValidatingEngine.this.validation.maxMessageSize(), deflate,
							ValidatingEngine.this.validation.listener());
					return new ValidatingConnection(connection, validator);
				}

			};
		}

		@Override
		public void processError(Throwable failure) {
			this.engine.processError(failure);
			if (ConnectFailures.isProxyRefusal(failure)) {
				// Grizzly reports a refused CONNECT but keeps the proxy's connection open
				// (a
				// keep-alive proxy would hold one socket per failed attempt): an
				// IOException
				// out of its read handler makes it close that connection
				throw ValidatingEngine.<RuntimeException>sneaky(failure);
			}
		}

		@SuppressWarnings("unchecked")
		private static <T extends Throwable> T sneaky(Throwable failure) throws T {
			throw (T) failure;
		}

		private static boolean negotiatesDeflate(UpgradeResponse response) {
			List<String> values = new ArrayList<>();
			response.getHeaders().forEach((name, headerValues) -> {
				if (name != null && headerValues != null && name.equalsIgnoreCase("Sec-WebSocket-Extensions")) {
					values.addAll(headerValues);
				}
			});
			try {
				for (Extension extension : TyrusExtension.fromHeaders(values)) {
					if (PerMessageDeflate.NAME.equals(extension.getName())) {
						return true;
					}
				}
			}
			catch (RuntimeException ex) {
				// malformed: TyrusHandshake fails the upgrade
			}
			return false;
		}

	}

	/** A connection whose bytes go through a {@link FrameValidator}. */
	private record ValidatingConnection(Connection connection, ReadHandler validator) implements Connection {

		@Override
		public ReadHandler getReadHandler() {
			return this.validator;
		}

		@Override
		public Writer getWriter() {
			return this.connection.getWriter();
		}

		@Override
		public CloseListener getCloseListener() {
			return this.connection.getCloseListener();
		}

		@Override
		public void close(CloseReason reason) {
			this.connection.close(reason);
		}

	}

}
