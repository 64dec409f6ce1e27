package dev.wsboot.usecases;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.test.WsTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Use case: a large binary message (a snapshot, a file) consumed fragment by fragment
 * with a {@code partial = true} listener, here into a SHA-256 digest, instead of as one
 * array. See {@code docs/listeners.md}.
 */
@SpringBootTest(classes = StreamingLargeMessagesTests.App.class, webEnvironment = WebEnvironment.NONE,
		properties = "ws.clients.snapshots.max-message-size=16MB")
class StreamingLargeMessagesTests {

	private static final byte[] SNAPSHOT = new byte[4 * 1024 * 1024];

	static {
		ThreadLocalRandom.current().nextBytes(SNAPSHOT);
	}

	@RegisterExtension
	static final WsTestServer exchange = WsTestServer.start()
		.onConnect((connection) -> connection.sendFragmentedBinary(SNAPSHOT, 64 * 1024));

	@DynamicPropertySource
	static void exchangeUrl(DynamicPropertyRegistry registry) {
		exchange.bindTo(registry, "snapshots");
	}

	@Autowired
	private SnapshotDigester digester;

	@Test
	void digestsTheSnapshotAsItArrives() throws NoSuchAlgorithmException {
		String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SNAPSHOT));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.digester.lastDigest.get() != null);
		assertThat(this.digester.lastDigest).hasValue(expected);
	}

	@Component
	static class SnapshotDigester {

		final AtomicReference<String> lastDigest = new AtomicReference<>();

		private final MessageDigest digest;

		SnapshotDigester() throws NoSuchAlgorithmException {
			this.digest = MessageDigest.getInstance("SHA-256");
		}

		// fragments of one client arrive one at a time, in order: no locking needed
		@WsListener(value = "snapshots", partial = true)
		void onFragment(ByteBuffer fragment, boolean last) {
			this.digest.update(fragment);
			if (last) {
				this.lastDigest.set(HexFormat.of().formatHex(this.digest.digest()));
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(SnapshotDigester.class)
	static class App {

	}

}
