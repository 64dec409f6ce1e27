package dev.wsboot.transport.tyrus;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
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
 * its {@code sendText(String, boolean, WriterInfo)} and
 * {@code sendBinary(byte[], int, int,
 * boolean, WriterInfo)} send one fragment and return a future, where the public
 * {@code RemoteEndpoint.Basic} would block the caller until the frame is written;</li>
 * <li>the connection's {@link Writer} (field {@code ProtocolHandler.writer}, reached
 * through {@code TyrusWebSocket.protocolHandler}): {@code Writer.close()} drops the TCP
 * connection without a close frame, which no public method does; with the Grizzly
 * container its connection (field {@code GrizzlyWriter.connection}) is where reading is
 * paused ({@link GrizzlyReadPause}).</li>
 * <li>the web socket's state (field {@code TyrusWebSocket.state}): moved to
 * {@code CLOSING} when this side sends its close frame itself, so that Tyrus waits for
 * the server's close frame (and then closes the connection without answering it a second
 * time) instead of closing the connection right after its own close frame, as
 * {@code Session.close} does;</li>
 * <li>the client manager's activity count (field
 * {@code ClientManager.clientActivityListener}): Tyrus shuts its executors down when the
 * count drops to zero, i.e. with the last connection, and a connect that starts in that
 * instant is handed to an executor being shut down ({@code RejectedExecutionException})
 * or cleared ({@code NullPointerException}). One activity is held for the life of the
 * transport, which shuts the executors down itself.</li>
 * </ul>
 * Tyrus on the class path (the Spring Boot default) is an unnamed module, so the fields
 * are accessible. On the module path {@code org.glassfish.tyrus.core} must be opened to
 * this module; {@link #check()} fails the transport's construction with that advice
 * otherwise.
 */
final class TyrusInternals {

	private static final @Nullable Field REMOTE_WEB_SOCKET;

	private static final @Nullable Field PROTOCOL_HANDLER;

	private static final @Nullable Field WRITER;

	private static final @Nullable Field STATE;

	private static final @Nullable Object CONNECTED;

	private static final @Nullable Object CLOSING;

	private static final @Nullable Field ACTIVITY_LISTENER;

	private static final @Nullable Method ACTIVITY_STARTED;

	private static final @Nullable RuntimeException FAILURE;

	static {
		Field remoteWebSocket = null;
		Field protocolHandler = null;
		Field writer = null;
		Field state = null;
		Object connected = null;
		Object closing = null;
		Field activityListener = null;
		Method activityStarted = null;
		RuntimeException failure = null;
		try {
			remoteWebSocket = accessible(TyrusRemoteEndpoint.class, "webSocket", TyrusWebSocket.class);
			protocolHandler = accessible(TyrusWebSocket.class, "protocolHandler", ProtocolHandler.class);
			writer = accessible(ProtocolHandler.class, "writer", Writer.class);
			state = accessible(TyrusWebSocket.class, "state", AtomicReference.class);
			connected = stateConstant("CONNECTED");
			closing = stateConstant("CLOSING");
			activityListener = ClientManager.class.getDeclaredField("clientActivityListener");
			activityListener.setAccessible(true);
			activityStarted = activityListener.getType().getDeclaredMethod("onConnectionInitiated");
			activityStarted.setAccessible(true);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			failure = new IllegalStateException("This version of Tyrus (" + TyrusWebSocket.class.getPackage()
					+ ") does not have the internals the Tyrus transport needs, or they are not accessible; use Tyrus"
					+ " 2.2.x on the class path, or open module org.glassfish.tyrus.core to this module", ex);
		}
		REMOTE_WEB_SOCKET = remoteWebSocket;
		PROTOCOL_HANDLER = protocolHandler;
		WRITER = writer;
		STATE = state;
		CONNECTED = connected;
		CLOSING = closing;
		ACTIVITY_LISTENER = activityListener;
		ACTIVITY_STARTED = activityStarted;
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
	 * Mark a connected web socket as closing, as Tyrus does before it sends a close
	 * frame, for a close frame this side sends itself: Tyrus then answers the server's
	 * close frame by closing the connection rather than with another close frame.
	 * @param webSocket the web socket
	 * @return whether it was connected (and is closing now)
	 */
	@SuppressWarnings("unchecked")
	static boolean startClosing(TyrusWebSocket webSocket) {
		AtomicReference<Object> state = (AtomicReference<Object>) get(STATE, webSocket);
		return state.compareAndSet(CONNECTED, CLOSING);
	}

	/**
	 * Keep a client manager's executors until it is shut down: count one activity that
	 * never ends, so the end of its last connection does not shut them down under a
	 * connect that starts in the same instant.
	 * @param clientManager a new client manager
	 */
	static void keepExecutors(ClientManager clientManager) {
		Object listener = get(ACTIVITY_LISTENER, clientManager);
		try {
			ACTIVITY_STARTED.invoke(listener);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object stateConstant(String name) throws ClassNotFoundException {
		Class<?> type = Class.forName(TyrusWebSocket.class.getName() + "$State", false,
				TyrusWebSocket.class.getClassLoader());
		for (Object constant : type.getEnumConstants()) {
			if (((Enum<?>) constant).name().equals(name)) {
				return constant;
			}
		}
		throw new IllegalStateException(type.getName() + " has no constant " + name);
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
