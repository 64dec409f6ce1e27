package dev.wsboot.listener;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.test.WsTestFrame;
import dev.wsboot.test.WsTestServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.handler.annotation.Payload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code boolean} parameter over a real socket: the payload of a listener that is not
 * {@code partial} (Discord's op 9 "invalid session" carries {@code "d": true|false}), the
 * {@code last} flag of a {@code partial} one.
 */
class WsListenerBooleanPayloadIntegrationTests {

	@RegisterExtension
	static final WsTestServer server = WsTestServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class))
		.withPropertyValues("ws.clients.discord.url=" + server.url("/gateway"));

	@AfterEach
	void resetServer() {
		server.reset();
	}

	@Test
	void booleanParameterOfAListenerThatIsNotPartialIsThePayloadSelectedByThePointer() {
		server.onConnect((connection) -> List
			.of("{\"op\":9,\"d\":true}", "{\"op\":0,\"d\":true}", "{\"op\":9,\"d\":false}", "{\"op\":7,\"d\":false}",
					"{\"op\":7,\"d\":true}")
			.forEach(connection::sendText));
		this.contextRunner.withUserConfiguration(InvalidSessionBot.class).run((context) -> {
			assertThat(context).hasNotFailed();
			InvalidSessionBot bot = context.getBean(InvalidSessionBot.class);
			assertThat(bot.resumable.await(2)).containsExactly(true, false);
			assertThat(bot.reconnects.await(2)).containsExactly(false, true);
			assertThat(bot.resumable.items()).hasSize(2);
		});
	}

	@Test
	void partialListenerStillReceivesTheLastFlagAsItsBooleanParameter() {
		server.onConnect((connection) -> {
			connection.sendFrame(WsTestFrame.TEXT, false, 0, false, "{\"op\":".getBytes(StandardCharsets.UTF_8));
			connection.sendFrame(WsTestFrame.CONTINUATION, true, 0, false, "9}".getBytes(StandardCharsets.UTF_8));
		});
		this.contextRunner.withUserConfiguration(PartialBot.class).run((context) -> {
			assertThat(context).hasNotFailed();
			PartialBot bot = context.getBean(PartialBot.class);
			assertThat(bot.lasts.await(2)).containsExactly(false, true);
			assertThat(String.join("", bot.parts.items())).isEqualTo("{\"op\":9}");
		});
	}

	static class InvalidSessionBot {

		final Inbox<Boolean> resumable = new Inbox<>();

		final Inbox<Boolean> reconnects = new Inbox<>();

		@WsListener(value = "discord", match = "/op=9", payload = "/d")
		void invalidSession(boolean resumable) {
			this.resumable.add(resumable);
		}

		@WsListener(value = "discord", match = "/op=7", payload = "/d")
		void reconnect(@Payload Boolean resume) {
			this.reconnects.add(resume);
		}

	}

	static class PartialBot {

		final Inbox<String> parts = new Inbox<>();

		final Inbox<Boolean> lasts = new Inbox<>();

		@WsListener(value = "discord", partial = true)
		void onPart(String part, boolean last) {
			this.parts.add(part);
			this.lasts.add(last);
		}

	}

}
