package dev.wsboot.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.Assert;

import dev.wsboot.actuate.WsClientsEndpoint.Action;

/**
 * HTTP status codes for the {@code wsclients} actions: {@code POST
 * /actuator/wsclients/{name}} answers 404 for an unknown client and 400 (listing the
 * valid actions) for a missing or unknown action, each with a JSON body that says why.
 */
@EndpointWebExtension(endpoint = WsClientsEndpoint.class)
public class WsClientsEndpointWebExtension {

	private final WsClientsEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint
	 */
	public WsClientsEndpointWebExtension(WsClientsEndpoint delegate) {
		Assert.notNull(delegate, "'delegate' must not be null");
		this.delegate = delegate;
	}

	/**
	 * Connect, disconnect or reconnect a client.
	 * @param name the client's name
	 * @param action {@code connect}, {@code disconnect} or {@code reconnect}
	 * @return 200 with the client after the action, 404 or 400 with the reason
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> action(@Selector String name, @Nullable String action) {
		if (!this.delegate.hasClient(name)) {
			return new WebEndpointResponse<>(new ActionFailure(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found",
					this.delegate.noSuchClient(name)), WebEndpointResponse.STATUS_NOT_FOUND);
		}
		Action parsed = Action.from(action);
		if (parsed == null) {
			return new WebEndpointResponse<>(new ActionFailure(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request",
					WsClientsEndpoint.unknownAction(name, action)), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		return new WebEndpointResponse<>(this.delegate.perform(name, parsed), WebEndpointResponse.STATUS_OK);
	}

	/**
	 * Why an action was not carried out.
	 *
	 * @param status the HTTP status
	 * @param error the status's reason phrase
	 * @param message what was wrong and how to fix it
	 */
	public record ActionFailure(int status, String error, String message) implements OperationResponseBody {

	}

}
