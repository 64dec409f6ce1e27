package dev.wsboot.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare-socket client to observe the server's bytes exactly and to send what the JDK
 * client cannot (e.g. compressed frames).
 */
final class RawClient implements AutoCloseable {

	final Socket socket;

	final InputStream in;

	final OutputStream out;

	RawClient(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(10_000);
		this.in = new BufferedInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	/**
	 * Send a request and return the response head (status line and headers).
	 */
	String request(String head) throws IOException {
		this.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
		this.out.flush();
		return readHead();
	}

	/** Read an HTTP response head, up to and including the empty line. */
	String readHead() throws IOException {
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		while (!response.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b == -1) {
				break;
			}
			response.write(b);
		}
		return response.toString(StandardCharsets.ISO_8859_1);
	}

	String upgrade(String path, String... extraHeaders) throws IOException {
		return request(upgradeRequest(path, extraHeaders));
	}

	static String upgradeRequest(String path, String... extraHeaders) {
		StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Sec-WebSocket-Version: 13\r\n");
		for (String header : extraHeaders) {
			head.append(header).append("\r\n");
		}
		return head.append("\r\n").toString();
	}

	record Frame(FrameCodec.Header header, byte[] payload) {
	}

	Frame readFrame() throws IOException {
		FrameCodec.Header header = FrameCodec.readHeader(this.in);
		if (header == null) {
			return null;
		}
		byte[] payload = this.in.readNBytes((int) header.length());
		if (header.masked()) {
			FrameCodec.mask(payload, 0, payload.length, header.maskKey(), 0);
		}
		return new Frame(header, payload);
	}

	void sendMasked(int opcode, boolean fin, int rsv, byte[] payload) throws IOException {
		this.out.write(FrameCodec.encode(opcode, fin, rsv, true, payload, 0, payload.length));
		this.out.flush();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
