package dev.wsboot.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} holds a property table generated from the configuration
 * metadata the build produced; this test fails when the table is stale. Regenerate with
 * {@code ./mvnw -pl ws-spring-boot-autoconfigure test -Dtest=ConfigurationReferenceTests -Dwsboot.docs.update=true}.
 */
class ConfigurationReferenceTests {

	private static final String BEGIN = "<!-- BEGIN GENERATED: property table (ConfigurationReferenceTests) -->";

	private static final String END = "<!-- END GENERATED -->";

	private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

	@Test
	void everyPropertyHasADescription() throws IOException {
		for (JsonNode property : properties()) {
			assertThat(property.path("description").asString(""))
				.as("description of %s", property.path("name").asString())
				.isNotBlank();
		}
	}

	@Test
	void metadataListsEveryContractKey() throws IOException {
		List<String> names = properties().stream().map((property) -> property.path("name").asString()).toList();
		assertThat(names).contains("ws.clients", "ws.shutdown-timeout", "ws.defaults.url", "ws.defaults.enabled",
				"ws.defaults.auto-startup", "ws.defaults.subprotocols", "ws.defaults.extensions", "ws.defaults.headers",
				"ws.defaults.connect-timeout", "ws.defaults.ping-interval", "ws.defaults.idle-timeout",
				"ws.defaults.max-fragment-size", "ws.defaults.max-message-size", "ws.defaults.send-buffer-limit",
				"ws.defaults.reconnect.enabled", "ws.defaults.reconnect.initial-delay",
				"ws.defaults.reconnect.max-delay", "ws.defaults.reconnect.multiplier", "ws.defaults.reconnect.jitter",
				"ws.defaults.reconnect.max-attempts", "ws.defaults.ssl.bundle", "ws.defaults.transport",
				"ws.defaults.proxy.url", "ws.defaults.proxy.use-system", "management.health.ws-clients.enabled");
	}

	@Test
	void referenceTableMatchesTheMetadata() throws IOException {
		String table = table();
		String document = Files.readString(REFERENCE, StandardCharsets.UTF_8);
		int begin = document.indexOf(BEGIN);
		int end = document.indexOf(END);
		assertThat(begin).as("marker in %s", REFERENCE).isNotNegative();
		String current = document.substring(begin + BEGIN.length(), end);
		if (Boolean.getBoolean("wsboot.docs.update")) {
			Files.writeString(REFERENCE,
					document.substring(0, begin + BEGIN.length()) + table + document.substring(end),
					StandardCharsets.UTF_8);
			return;
		}
		assertThat(current).as("docs/configuration.md is stale: regenerate it with -Dwsboot.docs.update=true")
			.isEqualTo(table);
	}

	private static String table() throws IOException {
		StringBuilder table = new StringBuilder(
				"\n| Key | Type | Default | Description |\n| --- | --- | --- | --- |\n");
		for (JsonNode property : properties()) {
			String name = property.path("name").asString();
			String key = name.startsWith("ws.defaults.")
					? "ws.clients.<name>." + name.substring("ws.defaults.".length()) + " <br> " + name : name;
			table.append("| `")
				.append(key.replace(" <br> ", "` <br> `"))
				.append("` | ")
				.append(simpleType(property.path("type").asString("")))
				.append(" | ")
				.append(defaultValue(property.path("defaultValue")))
				.append(" | ")
				.append(property.path("description").asString("").replace("|", "\\|").replace("\n", " "))
				.append(" |\n");
		}
		return table.toString();
	}

	private static String simpleType(String type) {
		String simple = type.replaceAll("[a-z]+\\.", "").replace("WsProperties$", "").replace("$", ".");
		return simple.replace("<", "&lt;").replace(">", "&gt;");
	}

	private static String defaultValue(JsonNode value) {
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		return "`" + (value.isArray() ? value.toString() : value.asString()) + "`";
	}

	private static List<JsonNode> properties() throws IOException {
		List<URL> resources = Collections.list(ConfigurationReferenceTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"));
		JsonMapper mapper = JsonMapper.builder().build();
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				JsonNode metadata = mapper.readTree(in);
				List<JsonNode> properties = new ArrayList<>();
				metadata.path("properties").forEach(properties::add);
				if (properties.stream().anyMatch((property) -> property.path("name").asString().startsWith("ws."))) {
					properties.sort(Comparator.comparing((property) -> property.path("name").asString()));
					return properties;
				}
			}
		}
		throw new IllegalStateException("No ws.* configuration metadata on the classpath");
	}

}
