package dev.wsboot.docs;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The complete examples of {@code docs/protocols.md} (the Discord gateway bot of
 * {@code usecases/DiscordGatewayBotTests} and the graphql-transport-ws client of the
 * interop module) compile as written, with the imports an IDE would add.
 */
class ProtocolsExamplesTests {

	private static final Path PROTOCOLS = Path.of("..", "docs", "protocols.md");

	private static final Pattern COMPLETE_EXAMPLE = Pattern.compile("```java\n(@Component\nclass .*?)```",
			Pattern.DOTALL);

	private static final String IMPORTS = """
			import java.net.URI;
			import java.time.Duration;
			import java.util.List;
			import java.util.Map;
			import java.util.concurrent.CopyOnWriteArrayList;
			import java.util.concurrent.atomic.AtomicInteger;

			import com.fasterxml.jackson.annotation.JsonInclude;
			import com.fasterxml.jackson.annotation.JsonProperty;
			import tools.jackson.databind.JsonNode;

			import org.springframework.beans.factory.annotation.Value;
			import org.springframework.context.event.EventListener;
			import org.springframework.stereotype.Component;

			import dev.wsboot.annotation.WsListener;
			import dev.wsboot.client.WsClient;
			import dev.wsboot.client.WsHeartbeat;
			import dev.wsboot.client.event.WsClientOpenedEvent;

			""";

	@Test
	void completeExamplesCompileAsWritten(@TempDir Path classes) throws IOException {
		List<String> examples = completeExamples();
		assertThat(examples).as("complete examples in %s", PROTOCOLS).hasSize(2);
		List<JavaFileObject> sources = new ArrayList<>();
		for (int i = 0; i < examples.size(); i++) {
			String source = "package example" + i + ";\n\n" + IMPORTS + examples.get(i);
			sources.add(new Source("example" + i + "/Example.java", source));
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		StringWriter errors = new StringWriter();
		boolean compiled = compiler.getTask(errors, null, null, List.of("-proc:none", "-parameters", "-d",
				classes.toString(), "-classpath", System.getProperty("java.class.path")), null, sources)
			.call();
		assertThat(compiled).as("%s", errors).isTrue();
	}

	private static List<String> completeExamples() throws IOException {
		String document = Files.readString(PROTOCOLS, StandardCharsets.UTF_8);
		List<String> examples = new ArrayList<>();
		Matcher matcher = COMPLETE_EXAMPLE.matcher(document);
		while (matcher.find()) {
			examples.add(matcher.group(1));
		}
		return examples;
	}

	private static final class Source extends SimpleJavaFileObject {

		private final String code;

		Source(String path, String code) {
			super(URI.create("string:///" + path), Kind.SOURCE);
			this.code = code;
		}

		@Override
		public CharSequence getCharContent(boolean ignoreEncodingErrors) {
			return this.code;
		}

	}

}
