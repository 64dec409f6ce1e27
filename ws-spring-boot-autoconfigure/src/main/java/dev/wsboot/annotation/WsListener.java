package dev.wsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as a listener for the messages of one or more managed WebSocket
 * clients, invoked through spring-messaging like a {@code @KafkaListener} or
 * {@code @JmsListener} method.
 * <p>
 * Supported parameters, in any order:
 * <ul>
 * <li>the payload, one of: {@code String} (text messages), {@code byte[]} or
 * {@code java.nio.ByteBuffer} (binary messages), {@link dev.wsboot.client.WsMessage}
 * (either kind), or any other type, converted from the message's JSON with the
 * application's JSON mapper (generic types such as {@code List<Trade>} or
 * {@code Envelope<Ready>} included, bound from the parameter's generic type). It may be
 * annotated with {@code @org.springframework.messaging.handler.annotation.Payload}, and
 * with {@code @jakarta.validation.Valid} (or Spring's {@code @Validated}) to validate it
 * with the application's {@code Validator}: a payload that fails validation is a listener
 * failure;</li>
 * <li>{@link dev.wsboot.client.WsClient}: the client the message arrived on;</li>
 * <li>{@code boolean last}: with {@code partial = true}, whether this fragment ends the
 * message;</li>
 * <li>{@code org.springframework.messaging.Message<T>} (the payload as {@code T}), and
 * {@code @Header} / {@code @Headers} parameters or {@code MessageHeaders}: the headers
 * are the client's name ({@code dev.wsboot.listener.WsMessageHeaders#CLIENT}) and, for a
 * listener with {@link #match()}, the value of each matched pointer (header
 * {@code WsMessageHeaders.MATCH_PREFIX + pointer}, e.g. {@code "ws_match:/op"}).</li>
 * </ul>
 * A message reaches every listener of its client whose payload type fits the frame type
 * (text: {@code String}, {@code WsMessage}, JSON types; binary: {@code byte[]},
 * {@code ByteBuffer}, {@code WsMessage}, JSON types) and, with {@link #match()}, whose
 * conditions hold. Messages of one client reach its listeners one at a time, in arrival
 * order, never on a transport I/O thread. A text message is parsed as JSON at most once,
 * however many listeners read it; a listener that does not match is neither invoked nor
 * converted for. A reply matched to a pending {@code WsClient.request(..)} reaches no
 * listener.
 * <p>
 * A {@code ByteBuffer} payload is a read-only view that is valid only for the duration of
 * the call: when none of a client's listeners keeps messages (every listener takes a
 * {@code String}, {@code byte[]}, {@code ByteBuffer} or JSON payload, returns
 * {@code void} and none is partial; and there is no {@code WsListenerErrorHandler} bean,
 * which may keep failed messages), binary messages up to 16 KiB are copied into buffers
 * of a small per-client pool, which are reused for later messages once the listeners
 * returned. A listener that needs the bytes afterwards copies them (or takes
 * {@code byte[]}, which is always its own array).
 * <p>
 * A non-{@code void} return value that is not {@code null} is sent back on the same
 * client: {@code String} as text, {@code byte[]}/{@code ByteBuffer} as binary, anything
 * else as JSON; a {@code CompletableFuture} replies when it completes.
 * <p>
 * An exception thrown by the method, or a payload that cannot be converted or is not
 * valid, never closes the connection: it is logged, counted and passed to the
 * {@code WsListenerErrorHandler} bean when there is one.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WsListener {

	/**
	 * The names of the clients to listen to; none means every client. A name ending in
	 * {@code *} ({@code "tenant-*"}) matches every client whose name starts with what
	 * comes before it, including clients created later with {@code WsClients.create}; the
	 * name of a sharded client ({@code ws.clients.<name>.shards}) matches all its shards.
	 * @return the client names
	 */
	@AliasFor("clients")
	String[] value() default {};

	/**
	 * Alias for {@link #value()}.
	 * @return the client names
	 */
	@AliasFor("value")
	String[] clients() default {};

	/**
	 * Whether to receive fragments as they arrive (with a {@code boolean last} parameter)
	 * instead of whole messages.
	 * @return whether this is a partial listener
	 */
	boolean partial() default false;

	/**
	 * Conditions a text message must meet to reach this listener, each
	 * {@code <JSON Pointer>=<value>} (for example {@code "/op=0"} or
	 * {@code "/t=MESSAGE_CREATE"}); all must hold. The value is compared with the text of
	 * the JSON value at the pointer: {@code 0}, {@code READY}, {@code true}, {@code null}
	 * (a string's content without quotes, anything else as JSON); a missing member, a
	 * binary message or a text that is not JSON never matches. None (the default): every
	 * message.
	 * @return the conditions
	 */
	String[] match() default {};

	/**
	 * JSON Pointer of the part of a text message converted to the payload parameter, for
	 * example {@code "/d"}; the default, empty, is the whole message. A missing part is
	 * converted from JSON {@code null}.
	 * @return the pointer
	 */
	String payload() default "";

}
