package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.lang.reflect.Field;

import jakarta.websocket.Session;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;
import org.glassfish.tyrus.spi.Writer;
import org.jspecify.annotations.Nullable;

/**
 * The two places where Tyrus 2.2 offers no public API, reached by reflection (checked for
 * Tyrus 2.2.2, covered by {@code TyrusWsTransportIntegrationTests}):
 * <ul>
 * <li>the session's {@link TyrusWebSocket} (field {@code TyrusRemoteEndpoint.webSocket}):
 * its {@code sendText(String, boolean, WriterInfo)} and {@code sendBinary(byte[], int, int,
 * boolean, WriterInfo)} send one fragment and return a future, where the public
 * {@code RemoteEndpoint.Basic} would block the caller until the frame is written;</li>
 * <li>the connection's {@link Writer} (field {@code ProtocolHandler.writer}, reached through
 * {@code TyrusWebSocket.protocolHandler}): {@code Writer.close()} drops the TCP connection
 * without a close frame, which no public method does; with the Grizzly container its
 * connection (field {@code GrizzlyWriter.connection}) is where reading is paused
 * ({@link GrizzlyReadPause}).</li>
 * </ul>
 * Tyrus on the class path (the Spring Boot default) is an unnamed module, so the fields
 * are accessible. On the module path {@code org.glassfish.tyrus.core} must be opened to this
 * module; {@link #check()} fails the transport's construction with that advice otherwise.
 */
final class TyrusInternals {

	private static final @Nullable Field REMOTE_WEB_SOCKET;

	private static final @Nullable Field PROTOCOL_HANDLER;

	private static final @Nullable Field WRITER;

	private static final @Nullable RuntimeException FAILURE;

	static {
		Field remoteWebSocket = null;
		Field protocolHandler = null;
		Field writer = null;
		RuntimeException failure = null;
		try {
			remoteWebSocket = accessible(TyrusRemoteEndpoint.class, "webSocket", TyrusWebSocket.class);
			protocolHandler = accessible(TyrusWebSocket.class, "protocolHandler", ProtocolHandler.class);
			writer = accessible(ProtocolHandler.class, "writer", Writer.class);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			failure = new IllegalStateException("This version of Tyrus (" + TyrusWebSocket.class.getPackage()
					+ ") does not have the internals the Tyrus transport needs, or they are not accessible; use Tyrus"
					+ " 2.2.x on the class path, or open module org.glassfish.tyrus.core to this module", ex);
		}
		REMOTE_WEB_SOCKET = remoteWebSocket;
		PROTOCOL_HANDLER = protocolHandler;
		WRITER = writer;
		FAILURE = failure;
	}

	private TyrusInternals() {
	}

	/**
	 * Fail when the internals cannot be reached.
	 * @throws IllegalStateException with what to do
	 */
	static void check() {
		if (FAILURE != null) {
			throw FAILURE;
		}
	}

	/**
	 * The web socket under a Tyrus session.
	 * @param session an open Tyrus session
	 * @return its web socket
	 */
	static TyrusWebSocket webSocket(Session session) {
		return (TyrusWebSocket) get(REMOTE_WEB_SOCKET, session.getAsyncRemote());
	}

	/**
	 * Close the connection under a web socket without sending a close frame. Tyrus then
	 * reports the end to the endpoint as 1006 (the container sees the socket close).
	 * @param webSocket the web socket
	 * @throws IOException when closing fails
	 */
	static void closeConnection(TyrusWebSocket webSocket) throws IOException {
		Writer writer = writer(webSocket);
		if (writer != null) {
			writer.close();
		}
	}

	/**
	 * The writer of the connection under a web socket.
	 * @param webSocket the web socket
	 * @return its writer, {@code null} once the connection is gone
	 */
	static @Nullable Writer writer(TyrusWebSocket webSocket) {
		ProtocolHandler protocolHandler = (ProtocolHandler) get(PROTOCOL_HANDLER, webSocket);
		return (Writer) get(WRITER, protocolHandler);
	}

	private static Field accessible(Class<?> type, String name, Class<?> fieldType) throws NoSuchFieldException {
		Field field = type.getDeclaredField(name);
		if (!fieldType.isAssignableFrom(field.getType())) {
			throw new IllegalStateException(type.getName() + "." + name + " is a " + field.getType().getName());
		}
		field.setAccessible(true);
		return field;
	}

	private static Object get(@Nullable Field field, Object target) {
		check();
		try {
			return field.get(target);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
