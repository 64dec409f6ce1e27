package dev.wsboot.transport.jdk;

import java.lang.reflect.Method;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.wsboot.transport.WsConnectRequest;
import dev.wsboot.transport.WsConnection;
import dev.wsboot.transport.WsConnectionHandler;
import dev.wsboot.transport.WsProxy;
import dev.wsboot.transport.WsTransport;

/**
 * A {@link WsTransport} on the JDK's {@code java.net.http.WebSocket} client, which needs
 * no dependency beyond the JDK.
 * <p>
 * Every {@link HttpClient} of a transport runs on one small pool of daemon threads
 * ({@code ws-jdk-<n>}), which is also where the handler is called. A transport keeps one
 * client per distinct {@link SSLContext} (by identity) and connect timeout; the JDK
 * checks the server's host name for {@code wss://}. Redirects are not followed and no
 * authentication is attempted: any status other than 101 fails the connect.
 * <p>
 * What the JDK client cannot do, and how this transport copes:
 * <ul>
 * <li>It cannot offer extensions, so permessage-deflate is not available: a request
 * naming any extension fails with an {@link IllegalArgumentException}.</li>
 * <li>It sets {@code Host}, {@code Connection}, {@code Upgrade}, {@code Content-Length},
 * {@code Expect} and every {@code Sec-WebSocket-*} header itself and refuses them as
 * extra handshake headers: such a request fails with an {@link IllegalArgumentException}
 * naming the header (never its value).</li>
 * <li>It allows one outstanding data send at a time: sends are queued and handed to it in
 * the order they were issued; see {@link JdkWsConnection}.</li>
 * <li>It does not let a client send close codes 1002, 1003, 1007, 1009, 1010 and
 * 1012-1014: see {@link JdkWsConnection#sendClose(int, String)}.</li>
 * <li>It has no inbound size limit. It hands every frame over in parts as it reads them
 * (at most one read buffer each, so memory stays bounded however large a frame is), and
 * the limit ({@link WsConnectRequest#maxMessageSize()}) is enforced by the managed
 * client, which counts the parts of each message and fails the connection with 1009.</li>
 * </ul>
 */
public final class JdkWsTransport implements WsTransport {

	private static final Log logger = LogFactory.getLog(JdkWsTransport.class);

	private final ExecutorService executor;

	private final ScheduledThreadPoolExecutor scheduler;

	private final Map<ClientKey, HttpClient> clients = new ConcurrentHashMap<>();

	private final Set<JdkEndpoint> endpoints = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create a transport; its threads start with the first connect.
	 */
	public JdkWsTransport() {
		this.executor = Executors.newCachedThreadPool(daemonThreads("ws-jdk-"));
		this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("ws-jdk-timeout-"));
		this.scheduler.setRemoveOnCancelPolicy(true);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Fails with an {@link IllegalArgumentException} when the request names an extension
	 * or a handshake header the JDK client refuses.
	 */
	@Override
	public CompletableFuture<WsConnection> connect(WsConnectRequest request, WsConnectionHandler handler) {
		Assert.notNull(request, "'request' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		if (!request.extensions().isEmpty()) {
			return CompletableFuture.failedFuture(new IllegalArgumentException(
					"The jdk transport does not support WebSocket extensions (requested: " + request.extensions()
							+ "): the JDK's WebSocket client cannot offer them; use the tyrus transport instead"));
		}
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new IllegalStateException("The jdk transport was closed"));
		}
		WebSocket.Builder builder;
		try {
			HandshakeHeaders.check(request.headers());
			builder = client(request).newWebSocketBuilder();
			request.headers().forEach((name, values) -> values.forEach((value) -> builder.header(name, value)));
			List<String> subprotocols = request.subprotocols();
			if (!subprotocols.isEmpty()) {
				builder.subprotocols(subprotocols.get(0),
						subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
			}
			if (isPositive(request.connectTimeout())) {
				builder.connectTimeout(request.connectTimeout());
			}
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(JdkFailures.map(ex, request));
		}
		JdkEndpoint endpoint = new JdkEndpoint(request, handler, this.scheduler, this.executor, this.endpoints::remove);
		this.endpoints.add(endpoint);
		endpoint.startTimeout();
		CompletableFuture<WebSocket> opening;
		try {
			opening = builder.buildAsync(request.uri(), endpoint);
		}
		catch (RuntimeException ex) {
			opening = CompletableFuture.failedFuture(ex);
		}
		endpoint.opening(opening);
		if (this.closed.get()) {
			endpoint.shutdown();
		}
		return endpoint.future();
	}

	/**
	 * Fail pending connects, drop open connections (their handlers hear 1006) and stop
	 * the transport's threads.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (JdkEndpoint endpoint : new ArrayList<>(this.endpoints)) {
			endpoint.shutdown();
		}
		this.scheduler.shutdownNow();
		for (HttpClient client : this.clients.values()) {
			shutdownNow(client);
		}
		this.clients.clear();
		// lets the reports of the connections just dropped run; the JDK falls back to its
		// own pool for anything it still has to do
		this.executor.shutdown();
	}

	/**
	 * Whether this JVM lets the JDK's client answer a proxy's 407 to {@code CONNECT} with
	 * Basic credentials. The JDK disables it unless the JVM runs with
	 * {@code -Djdk.http.auth.tunneling.disabledSchemes=} (an empty list), read once when
	 * its HTTP client is first used.
	 * @return whether Basic proxy authentication works for {@code ws://} and
	 * {@code wss://} through a proxy
	 */
	public static boolean basicProxyAuthenticationThroughTunnels() {
		return ProxyAuthentication.basicThroughTunnels();
	}

	@Override
	public String toString() {
		return "JdkWsTransport[" + this.endpoints.size() + " connections]";
	}

	private HttpClient client(WsConnectRequest request) {
		Duration connectTimeout = isPositive(request.connectTimeout()) ? request.connectTimeout() : null;
		return this.clients.computeIfAbsent(new ClientKey(request.sslContext(), connectTimeout, request.proxy()),
				this::createClient);
	}

	private HttpClient createClient(ClientKey key) {
		HttpClient.Builder builder = HttpClient.newBuilder()
			.executor(this.executor)
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER);
		if (key.connectTimeout() != null) {
			builder.connectTimeout(key.connectTimeout());
		}
		if (key.sslContext() != null) {
			builder.sslContext(key.sslContext());
		}
		// without a selector of its own the client would follow the JVM's proxy settings
		builder.proxy((key.proxy() != null) ? ProxySelector.of(key.proxy().address()) : HttpClient.Builder.NO_PROXY);
		if (key.proxy() != null && key.proxy().hasCredentials()) {
			builder.authenticator(new ProxyAuthentication(key.proxy()));
		}
		return builder.build();
	}

	/**
	 * Java 21 can stop a client's selector thread; on Java 17 it ends with the client.
	 */
	private static void shutdownNow(HttpClient client) {
		try {
			Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
			shutdownNow.invoke(client);
		}
		catch (NoSuchMethodException ex) {
			// Java 17-20
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Stopping an HttpClient of the jdk WebSocket transport failed", ex);
		}
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * What tells the transport's clients apart. {@link SSLContext} does not override
	 * {@code equals}: contexts compare by identity.
	 */
	private record ClientKey(@Nullable SSLContext sslContext, @Nullable Duration connectTimeout,
			@Nullable WsProxy proxy) {
	}

}
