package dev.wsboot.transport.jdk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the JDK's client sends Basic credentials to a proxy for a tunnel.
 */
class ProxyAuthenticationTests {

	@Test
	void theJdksDefaultDisablesBasicForTunnels() {
		assertThat(ProxyAuthentication.basicThroughTunnels(null, "Basic")).isFalse();
	}

	@Test
	void anEmptySystemPropertyEnablesBasicForTunnels() {
		assertThat(ProxyAuthentication.basicThroughTunnels("", "Basic")).isTrue();
	}

	@Test
	void aSystemPropertyNamingBasicInAnyCaseDisablesIt() {
		assertThat(ProxyAuthentication.basicThroughTunnels("Digest, basic", null)).isFalse();
		assertThat(ProxyAuthentication.basicThroughTunnels("Digest", "Basic")).isTrue();
	}

	@Test
	void withoutAnySettingBasicIsSent() {
		assertThat(ProxyAuthentication.basicThroughTunnels(null, null)).isTrue();
	}

	@Test
	void thisTestJvmRunsWithBasicEnabledForTunnelsAsTheDocsAdvise() {
		assertThat(JdkWsTransport.basicProxyAuthenticationThroughTunnels()).isTrue();
	}

}
