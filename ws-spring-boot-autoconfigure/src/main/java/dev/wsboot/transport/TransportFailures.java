package dev.wsboot.transport;

import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * What every transport needs to report a failure without leaking the URL's secrets: the
 * URL as it may be shown, the failure behind future wrappers, a cause of a given type,
 * and whether a message shows the query string or user-info.
 */
public final class TransportFailures {

	private TransportFailures() {
	}

	/** What stands for a secret wherever one is shown. */
	public static final String MASK = "******";

	/**
	 * The URL as it may be shown in logs, health, endpoints and exception messages:
	 * user-info and query string are replaced by {@link #MASK}, the fragment is dropped.
	 * @param uri the URL
	 * @return the masked URL as text
	 */
	public static String describe(URI uri) {
		StringBuilder text = new StringBuilder();
		if (uri.getScheme() != null) {
			text.append(uri.getScheme()).append("://");
		}
		if (uri.getRawUserInfo() != null) {
			text.append(MASK).append('@');
		}
		if (uri.getHost() != null) {
			text.append(uri.getHost());
		}
		if (uri.getPort() != -1) {
			text.append(':').append(uri.getPort());
		}
		if (uri.getRawPath() != null) {
			text.append(uri.getRawPath());
		}
		if (uri.getRawQuery() != null) {
			text.append('?').append(MASK);
		}
		return text.toString();
	}

	/**
	 * The failure behind {@link CompletionException} and {@link ExecutionException}
	 * wrappers.
	 * @param failure a failure
	 * @return the first cause that is not such a wrapper
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The first throwable of the given type in the cause chain.
	 * @param <T> the type
	 * @param failure where the chain starts
	 * @param type the type to find
	 * @return the throwable, or {@code null}
	 */
	public static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	/**
	 * Whether no message in the cause chain shows the URL's query string or user-info.
	 * @param failure where the chain starts
	 * @param uri the URL
	 * @return whether the chain may be shown
	 */
	public static boolean isSafe(Throwable failure, URI uri) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (!isSafe(current.getMessage(), uri)) {
				return false;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return true;
	}

	/**
	 * Whether a message does not show the URL's query string or user-info.
	 * @param message the message, may be {@code null}
	 * @param uri the URL
	 * @return whether the message may be shown
	 */
	public static boolean isSafe(@Nullable String message, URI uri) {
		if (message == null) {
			return true;
		}
		for (String secret : new String[] { uri.getRawQuery(), uri.getQuery(), uri.getRawUserInfo(),
				uri.getUserInfo() }) {
			if (secret != null && !secret.isEmpty() && message.contains(secret)) {
				return false;
			}
		}
		return true;
	}

}
