package dev.wsboot.client;

/**
 * A message could not be sent; the message was not written (or not completely).
 * Subclasses tell why.
 */
public class WsSendException extends RuntimeException {

	private final String clientName;

	/**
	 * Create a new exception.
	 * @param clientName the client the message was sent on
	 * @param message what happened
	 * @param cause the cause, if any
	 */
	public WsSendException(String clientName, String message, Throwable cause) {
		super(message, cause);
		this.clientName = clientName;
	}

	/**
	 * Create a new exception.
	 * @param clientName the client the message was sent on
	 * @param message what happened
	 */
	public WsSendException(String clientName, String message) {
		super(message);
		this.clientName = clientName;
	}

	/**
	 * The client the message was sent on.
	 * @return the client name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * The send would take the client's queued bytes past {@code send-buffer-limit}.
	 */
	public static class BufferFull extends WsSendException {

		public BufferFull(String clientName, String message) {
			super(clientName, message);
		}

	}

	/**
	 * The client is closed (by the application, or reconnecting gave up).
	 */
	public static class ClientClosed extends WsSendException {

		public ClientClosed(String clientName, String message, Throwable cause) {
			super(clientName, message, cause);
		}

		public ClientClosed(String clientName, String message) {
			super(clientName, message);
		}

	}

}
