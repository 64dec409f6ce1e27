package dev.wsboot.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;

/**
 * Plain HTTP calls to the actuator of an application running on an embedded server,
 * without treating 4xx and 5xx as errors (health answers 503 when DOWN).
 */
public final class ActuatorClient {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	/**
	 * Create a client for the application on the given port.
	 * @param port the embedded server's port
	 */
	public ActuatorClient(int port) {
		this.base = "http://127.0.0.1:" + port + "/actuator";
	}

	/**
	 * {@code GET /actuator<path>}.
	 * @param path e.g. {@code /health}
	 * @return the response
	 */
	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	/**
	 * {@code POST /actuator<path>} with a JSON body.
	 * @param path e.g. {@code /wsclients/feed}
	 * @param json the body
	 * @return the response
	 */
	public Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json)));
	}

	private Response send(HttpRequest.Builder request) {
		try {
			var response = this.http.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param body the body
	 */
	public record Response(int status, String body) {

		/**
		 * A value of the JSON body.
		 * @param <T> the value's type
		 * @param path a JSON path, e.g. {@code $.status}
		 * @return the value
		 */
		public <T> T read(String path) {
			return JsonPath.read(this.body, path);
		}

	}

}
