package dev.wsboot.listener;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code @WsListener.match} conditions compare with JSON values and how
 * {@code @WsListener.payload} selects a part.
 */
class WsListenerRouteTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final JsonNode MESSAGE = json.readTree("""
			{"op":0,"t":"READY","ok":true,"none":null,"n":1.5,"s":"0","d":{"a/b":{"x":[10,"y"]}}}""");

	@Test
	void valuesAreComparedWithTheTextOfTheJsonValue() {
		assertThat(matches("/op=0", "/t=READY", "/ok=true", "/none=null", "/n=1.5")).isTrue();
		assertThat(matches("/s=0")).as("a string's content, without quotes").isTrue();
		assertThat(matches("/t=\"READY\"")).isFalse();
		assertThat(matches("/op=1")).isFalse();
	}

	@Test
	void allConditionsMustHold() {
		assertThat(matches("/op=0", "/t=READY")).isTrue();
		assertThat(matches("/op=0", "/t=RESUMED")).isFalse();
	}

	@Test
	void missingMemberNeverMatchesNotEvenNull() {
		assertThat(matches("/missing=null")).isFalse();
		assertThat(matches("/missing=")).isFalse();
	}

	@Test
	void pointersReachNestedMembersArrayElementsAndEscapedNames() {
		assertThat(matches("/d/a~1b/x/0=10", "/d/a~1b/x/1=y")).isTrue();
	}

	@Test
	void payloadSelectsAPartAndAMissingPartIsJsonNull() {
		assertThat(route(List.of(), "/d/a~1b").payload(MESSAGE).toString()).isEqualTo("{\"x\":[10,\"y\"]}");
		assertThat(((JsonNode) route(List.of(), "/missing").payload(MESSAGE)).isNull()).isTrue();
		assertThat(route(List.of(), "").payload(MESSAGE)).isSameAs(MESSAGE);
	}

	@Test
	void matchedValuesAreKeptByPointer() {
		assertThat(route(List.of("/op=0", "/t=READY"), "").matchedValues(MESSAGE))
			.containsExactly(java.util.Map.entry("/op", "0"), java.util.Map.entry("/t", "READY"));
	}

	private static boolean matches(String... conditions) {
		return route(List.of(conditions), "").matches(MESSAGE);
	}

	private static WsListenerRoute route(List<String> match, String payload) {
		Method method = ReflectionUtils.findMethod(WsListenerRouteTests.class, "listener");
		return WsListenerRoute
			.of(new WsListenerEndpoint("bean", new Object(), method, List.of(), false, match, payload));
	}

	void listener() {
	}

}
