package dev.wsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * The reply to a {@link WsClient#request(Object, Class) request} carried an error: a
 * non-null value at {@code ws.clients.<name>.correlation.error} (for example a JSON-RPC
 * {@code error} object).
 */
public class WsRequestException extends WsSendException {

	private final String requestId;

	private final String errorJson;

	/**
	 * Create a new exception.
	 * @param clientName the client the request was sent on
	 * @param requestId the request's id, as text
	 * @param errorJson the error, as JSON text
	 */
	public WsRequestException(String clientName, String requestId, String errorJson) {
		super(clientName, "Client '" + clientName + "': request " + requestId + " failed: " + abbreviate(errorJson));
		this.requestId = requestId;
		this.errorJson = errorJson;
	}

	/**
	 * The id of the failed request, as text.
	 * @return the id
	 */
	public String requestId() {
		return this.requestId;
	}

	/**
	 * The error the reply carried, as JSON text (for example
	 * {@code {"code":-32601,"message":"Method not found"}}).
	 * @return the error JSON
	 */
	public String errorJson() {
		return this.errorJson;
	}

	private static String abbreviate(@Nullable String json) {
		return (json == null || json.length() <= 200) ? String.valueOf(json) : json.substring(0, 200) + "...";
	}

}
