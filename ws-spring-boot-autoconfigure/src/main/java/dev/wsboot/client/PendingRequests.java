package dev.wsboot.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.ClassUtils;

/**
 * The requests of one client waiting for their replies, and the matching of replies to
 * them ({@code ws.clients.<name>.correlation.*}).
 * <p>
 * A request gets an id at the {@code request-id} pointer when it has none there (an
 * increasing integer per client); a reply is the text message whose value at
 * {@code reply-id} has the same text as a pending request's id (ids are compared as text,
 * so a reply id {@code 7} matches the request id {@code "7"} and vice versa). As the
 * first listener of its client it reads the message's shared parse, and only while
 * requests are pending; a matched reply is consumed: no {@code @WsListener} sees it.
 * <p>
 * Bounded: at most {@value #MAX_PENDING} requests wait at once; each leaves the table
 * when it is answered, times out, or its connection ends.
 */
final class PendingRequests implements WsMessageListener {

	static final int MAX_PENDING = 10_000;

	private static final MessageHeaders NO_HEADERS = new NoIdHeaders();

	private final WsClient client;

	private final ScheduledExecutorService scheduler;

	private final MessageConverter messageConverter;

	private final Function<Object, String> json;

	private final Function<String, ?> parser;

	private final JsonMapper mapper;

	private final JsonPointer requestId;

	private final JsonPointer replyId;

	private final @Nullable JsonPointer replyPayload;

	private final @Nullable JsonPointer error;

	private final Duration timeout;

	private final AtomicLong lastId = new AtomicLong();

	private final Map<String, Pending<?>> pending = new ConcurrentHashMap<>();

	private final ClientStatistics statistics;

	private PendingRequests(WsClient client, ClientStatistics statistics, WsCorrelationSettings settings,
			Support support) {
		this.client = client;
		this.statistics = statistics;
		this.scheduler = support.scheduler();
		this.messageConverter = support.messageConverter();
		this.json = support.json();
		this.mapper = JsonMapper.shared();
		Function<String, ?> listenersParser = support.listenersParser();
		// the listeners' parser when there is one: a message parsed here is their shared
		// tree too
		this.parser = (listenersParser != null) ? listenersParser : this.mapper::readTree;
		this.requestId = JsonPointer.compile(settings.requestId());
		this.replyId = JsonPointer.compile(settings.replyId());
		this.replyPayload = (settings.replyPayload() != null) ? JsonPointer.compile(settings.replyPayload()) : null;
		this.error = (settings.error() != null) ? JsonPointer.compile(settings.error()) : null;
		this.timeout = settings.timeout();
	}

	/**
	 * The pending requests of a client with {@code correlation.request-id}.
	 * @param client the client
	 * @param statistics where each request's outcome and time go
	 * @param settings its correlation settings
	 * @param support the timer and the JSON conversion the requests use
	 * @return the table, {@code null} when requests are disabled
	 * @throws IllegalStateException when Jackson is not on the class path
	 */
	static @Nullable PendingRequests of(WsClient client, ClientStatistics statistics, WsCorrelationSettings settings,
			Support support) {
		if (!settings.enabled()) {
			return null;
		}
		if (!ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", PendingRequests.class.getClassLoader())) {
			throw new IllegalStateException("Client '" + client.name() + "': ws.clients." + client.name()
					+ ".correlation.request-id is set but request/response needs Jackson; add "
					+ "tools.jackson.core:jackson-databind (spring-boot-starter-jackson)");
		}
		return new PendingRequests(client, statistics, settings, support);
	}

	<T> CompletableFuture<T> request(Object message, Class<T> replyType, @Nullable Duration timeout) {
		long started = System.nanoTime();
		String clientName = this.client.name();
		Duration wait = (timeout != null) ? timeout : this.timeout;
		if (wait.isNegative() || wait.isZero()) {
			throw new IllegalArgumentException("Client '" + clientName + "': the request timeout must be positive");
		}
		ObjectNode request = tree(message);
		String id = idOf(request);
		if (this.pending.size() >= MAX_PENDING) {
			return fail(new WsSendException(clientName, "Client '" + clientName + "': " + MAX_PENDING
					+ " requests are waiting for replies; the request was not sent"), started);
		}
		Pending<T> entry = new Pending<>(id, replyType, started);
		if (this.pending.putIfAbsent(id, entry) != null) {
			throw new IllegalArgumentException("Client '" + clientName + "': a request with id " + id
					+ " is already waiting for its reply; use unique ids or leave " + this.requestId
					+ " out to have one written");
		}
		entry.timer = this.scheduler.schedule(() -> timedOut(entry, wait), wait.toNanos(), TimeUnit.NANOSECONDS);
		String text = this.mapper.writeValueAsString(request);
		this.client.sendText(new RequestText(text, () -> entry.sent = true)).whenComplete((sent, failure) -> {
			if (failure != null) {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				complete(
						entry, (cause instanceof WsSendException.ClientClosed)
								? WsRequestTimings.Outcome.CONNECTION_LOST : WsRequestTimings.Outcome.ERROR,
						null, cause);
			}
		});
		return entry.future;
	}

	private <T> CompletableFuture<T> fail(Throwable failure, long started) {
		this.statistics.requestEnded(WsRequestTimings.Outcome.ERROR, System.nanoTime() - started);
		return CompletableFuture.failedFuture(failure);
	}

	/**
	 * The request as a JSON object: text parsed, anything else written with the
	 * application's converter.
	 */
	private ObjectNode tree(Object message) {
		String json = (message instanceof CharSequence text) ? text.toString() : this.json.apply(message);
		JsonNode tree = this.mapper.readTree(json);
		if (!(tree instanceof ObjectNode object)) {
			throw new IllegalArgumentException("Client '" + this.client.name()
					+ "': a request must be a JSON object to carry its id at " + this.requestId + ", not " + json);
		}
		return object;
	}

	/** The request's id at the request-id pointer, written there when missing. */
	private String idOf(ObjectNode request) {
		JsonNode id = request.at(this.requestId);
		if (!id.isMissingNode() && !id.isNull()) {
			return text(id);
		}
		long next = this.lastId.incrementAndGet();
		JsonPointer parent = this.requestId.head();
		ObjectNode container = (parent == null || parent.matches()) ? request : request.withObject(parent.toString());
		container.put(this.requestId.last().getMatchingProperty(), next);
		return Long.toString(next);
	}

	/** Replies are read during the call only: binary messages may stay pooled. */
	@Override
	public boolean retainsMessage() {
		return false;
	}

	/** The reply matching a pending request completes it and goes no further. */
	@Override
	public void onMessage(WsMessage message, WsClient client) {
		if (this.pending.isEmpty() || !message.isText()) {
			return;
		}
		JsonNode reply;
		try {
			reply = (JsonNode) message.parsed(this.parser);
		}
		catch (RuntimeException ex) {
			return;
		}
		JsonNode id = reply.at(this.replyId);
		if (id.isMissingNode() || id.isNull()) {
			return;
		}
		Pending<?> entry = this.pending.get(text(id));
		if (entry == null) {
			return;
		}
		message.consumed = true;
		completeWith(entry, reply);
	}

	private void completeWith(Pending<?> entry, JsonNode reply) {
		JsonNode error = (this.error != null) ? reply.at(this.error) : null;
		if (error != null && !error.isMissingNode() && !error.isNull()) {
			complete(entry, WsRequestTimings.Outcome.ERROR, null,
					new WsRequestException(this.client.name(), entry.id, error.toString()));
			return;
		}
		Object value;
		try {
			value = convert((this.replyPayload != null) ? reply.at(this.replyPayload) : reply, entry.type);
		}
		catch (RuntimeException ex) {
			complete(entry, WsRequestTimings.Outcome.ERROR, null, ex);
			return;
		}
		complete(entry, WsRequestTimings.Outcome.SUCCESS, value, null);
	}

	private @Nullable Object convert(JsonNode node, Class<?> type) {
		JsonNode part = node.isMissingNode() ? NullNode.getInstance() : node;
		if (type.isInstance(part)) {
			return part;
		}
		if (part.isNull()) {
			return null;
		}
		Object converted = this.messageConverter.fromMessage(new Reply(part), type);
		if (converted == null) {
			throw new IllegalStateException(
					"Client '" + this.client.name() + "': no converter could read the reply " + "as " + type.getName());
		}
		return converted;
	}

	private void timedOut(Pending<?> entry, Duration wait) {
		complete(entry, WsRequestTimings.Outcome.TIMEOUT, null, new TimeoutException(
				"Client '" + this.client.name() + "': no reply to request " + entry.id + " within " + wait));
	}

	/**
	 * A connection ended: the requests written on it will get no reply.
	 * @param code the close code
	 * @param reason the close reason
	 */
	void connectionLost(int code, String reason) {
		for (Pending<?> entry : this.pending.values()) {
			if (entry.sent) {
				complete(entry, WsRequestTimings.Outcome.CONNECTION_LOST, null,
						new WsSendException(this.client.name(), "Client '" + this.client.name() + "': the connection "
								+ "closed with " + code + " before the reply to request " + entry.id + " arrived"));
			}
		}
	}

	/** Complete once: the entry leaves the table and its timer stops. */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void complete(Pending<?> entry, WsRequestTimings.Outcome outcome, @Nullable Object value,
			@Nullable Throwable failure) {
		if (!this.pending.remove(entry.id, entry)) {
			return;
		}
		ScheduledFuture<?> timer = entry.timer;
		if (timer != null) {
			timer.cancel(false);
		}
		this.statistics.requestEnded(outcome, System.nanoTime() - entry.started);
		if (failure != null) {
			entry.future.completeExceptionally(failure);
		}
		else {
			((CompletableFuture) entry.future).complete(value);
		}
	}

	int size() {
		return this.pending.size();
	}

	/** The text ids are compared by: a string's content, JSON for anything else. */
	private static String text(JsonNode id) {
		return id.isString() ? id.stringValue() : id.toString();
	}

	@Override
	public String toString() {
		return "request replies of client '" + this.client.name() + "'";
	}

	/** A request waiting for its reply. */
	private static final class Pending<T> {

		final String id;

		final Class<T> type;

		final long started;

		final CompletableFuture<T> future = new CompletableFuture<>();

		volatile @Nullable ScheduledFuture<?> timer;

		/** Written to a connection (which may end before the reply arrives). */
		volatile boolean sent;

		Pending(String id, Class<T> type, long started) {
			this.id = id;
			this.type = type;
			this.started = started;
		}

	}

	/** A reply's part handed to the message converter. */
	private record Reply(Object payload) implements Message<Object> {

		@Override
		public Object getPayload() {
			return this.payload;
		}

		@Override
		public MessageHeaders getHeaders() {
			return NO_HEADERS;
		}

	}

	/** Empty headers without id and timestamp. */
	private static final class NoIdHeaders extends MessageHeaders {

		private static final long serialVersionUID = 1L;

		NoIdHeaders() {
			super(Map.of(), ID_VALUE_NONE, -1L);
		}

	}

	/**
	 * A request's text as queued: the send queue calls {@link #writing()} just before it
	 * hands the text to a connection, so the end of that connection fails the request at
	 * once, even when it ends before the write completes.
	 */
	record RequestText(String text, Runnable onWrite) implements CharSequence {

		void writing() {
			this.onWrite.run();
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public char charAt(int index) {
			return this.text.charAt(index);
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return this.text.subSequence(start, end);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

	/**
	 * What the requests of a client use from the starter's shared infrastructure.
	 *
	 * @param scheduler times out requests
	 * @param messageConverter reads replies as the requested type
	 * @param json writes a request that is not text with the application's converter
	 * @param listenersParser the listeners' JSON parser, or {@code null}
	 */
	record Support(ScheduledExecutorService scheduler, MessageConverter messageConverter, Function<Object, String> json,
			@Nullable Function<String, ?> listenersParser) {

	}

}
