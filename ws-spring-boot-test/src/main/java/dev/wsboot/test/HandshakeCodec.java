package dev.wsboot.test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server side of the RFC 6455 opening handshake: parsing the HTTP/1.1 upgrade request
 * and writing the {@code 101} or refusal response.
 */
final class HandshakeCodec {

	static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final int MAX_LINE = 16 * 1024;

	private static final int MAX_HEADERS = 200;

	private HandshakeCodec() {
	}

	/**
	 * A parsed request, with the reason it is not a valid upgrade ({@code null} when
	 * valid).
	 */
	record Request(WsTestHandshake handshake, int errorStatus, String error) {

		boolean isValid() {
			return this.error == null;
		}

	}

	/**
	 * Read one upgrade request.
	 * @param in the connection's input
	 * @return the request
	 * @throws IOException on I/O errors or when the bytes are not an HTTP request at all
	 */
	static Request read(InputStream in) throws IOException {
		String requestLine = readLine(in);
		String[] parts = requestLine.split(" ");
		if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
			throw new IOException("Not an HTTP request line: " + requestLine);
		}
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (int count = 0;; count++) {
			String line = readLine(in);
			if (line.isEmpty()) {
				break;
			}
			if (count >= MAX_HEADERS) {
				throw new IOException("Too many request headers");
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IOException("Malformed header line: " + line);
			}
			String name = line.substring(0, colon).trim();
			headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(line.substring(colon + 1).trim());
		}
		headers.replaceAll((name, values) -> List.copyOf(values));
		String target = parts[1];
		int questionMark = target.indexOf('?');
		String path = (questionMark >= 0) ? target.substring(0, questionMark) : target;
		String query = (questionMark >= 0) ? target.substring(questionMark + 1) : null;
		WsTestHandshake handshake = new WsTestHandshake(path, query, Collections.unmodifiableMap(headers),
				tokens(headers.get("Sec-WebSocket-Protocol")), tokens(headers.get("Sec-WebSocket-Extensions")));
		String error = validationError(parts, handshake);
		int errorStatus = (error != null && error.startsWith("Sec-WebSocket-Version")) ? 426 : 400;
		return new Request(handshake, errorStatus, error);
	}

	private static String validationError(String[] requestLine, WsTestHandshake handshake) {
		if (!"GET".equals(requestLine[0])) {
			return "method is " + requestLine[0] + ", not GET";
		}
		if (!"HTTP/1.1".equals(requestLine[2])) {
			return "protocol is " + requestLine[2] + ", not HTTP/1.1";
		}
		if (!containsToken(handshake.header("Upgrade"), "websocket")) {
			return "no 'Upgrade: websocket' header";
		}
		if (!containsToken(handshake.header("Connection"), "upgrade")) {
			return "no 'Connection: Upgrade' header";
		}
		String key = handshake.header("Sec-WebSocket-Key");
		if (key == null || key.isBlank()) {
			return "no Sec-WebSocket-Key header";
		}
		String version = handshake.header("Sec-WebSocket-Version");
		if (version == null || !"13".equals(version.trim())) {
			return "Sec-WebSocket-Version is " + version + ", not 13";
		}
		return null;
	}

	/**
	 * Compute the {@code Sec-WebSocket-Accept} value for a key.
	 * @param key the client's {@code Sec-WebSocket-Key}
	 * @return base64(sha1(key + GUID))
	 */
	static String acceptKey(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Write the {@code 101 Switching Protocols} response.
	 * @param out the connection's output
	 * @param key the client's {@code Sec-WebSocket-Key}
	 * @param response the decided response
	 * @throws IOException on I/O errors
	 */
	static void writeAccept(OutputStream out, String key, WsTestHandshakeResponse response) throws IOException {
		StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
		head.append("Upgrade: websocket\r\n");
		head.append("Connection: Upgrade\r\n");
		head.append("Sec-WebSocket-Accept: ").append(acceptKey(key)).append("\r\n");
		if (response.subprotocol() != null) {
			head.append("Sec-WebSocket-Protocol: ").append(response.subprotocol()).append("\r\n");
		}
		if (!response.extensions().isEmpty()) {
			head.append("Sec-WebSocket-Extensions: ").append(String.join(", ", response.extensions())).append("\r\n");
		}
		appendHeaders(head, response);
		head.append("\r\n");
		out.write(head.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	/**
	 * Write a refusal: status line, the response's headers and {@code Content-Length: 0}.
	 * @param out the connection's output
	 * @param status the HTTP status
	 * @param response the decided response, may be {@code null} for validation failures
	 * @throws IOException on I/O errors
	 */
	static void writeRefusal(OutputStream out, int status, WsTestHandshakeResponse response) throws IOException {
		StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status)
			.append(' ')
			.append(reasonPhrase(status))
			.append("\r\n");
		if (response != null) {
			appendHeaders(head, response);
		}
		if (status == 426) {
			head.append("Sec-WebSocket-Version: 13\r\n");
		}
		head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
		out.write(head.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static void appendHeaders(StringBuilder head, WsTestHandshakeResponse response) {
		for (Map.Entry<String, String> header : response.headers()) {
			head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
		}
	}

	static String reasonPhrase(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 301 -> "Moved Permanently";
			case 302 -> "Found";
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 408 -> "Request Timeout";
			case 426 -> "Upgrade Required";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> "Status " + status;
		};
	}

	private static List<String> tokens(List<String> headerValues) {
		if (headerValues == null) {
			return List.of();
		}
		List<String> tokens = new ArrayList<>();
		for (String value : headerValues) {
			for (String token : value.split(",")) {
				if (!token.isBlank()) {
					tokens.add(token.trim());
				}
			}
		}
		return List.copyOf(tokens);
	}

	private static boolean containsToken(String headerValue, String token) {
		if (headerValue == null) {
			return false;
		}
		for (String candidate : headerValue.split(",")) {
			if (candidate.trim().equalsIgnoreCase(token)) {
				return true;
			}
		}
		return false;
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			int b = in.read();
			if (b == -1) {
				throw new EOFException("Connection closed during the handshake");
			}
			if (b == '\n') {
				break;
			}
			if (line.size() >= MAX_LINE) {
				throw new IOException("Request line or header longer than " + MAX_LINE + " bytes");
			}
			line.write(b);
		}
		byte[] bytes = line.toByteArray();
		int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
		return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
	}

}
