package dev.wsboot.transport.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import dev.wsboot.transport.WsProxy;

/**
 * Basic proxy authentication for the JDK's client: an {@link Authenticator} of one
 * {@code HttpClient} that answers only its proxy's challenge (a 407 to {@code CONNECT}),
 * never a server's.
 * <p>
 * The JDK refuses Basic authentication for tunnels unless the JVM-wide networking
 * property {@value #TUNNELING_DISABLED_SCHEMES} leaves {@code Basic} out (its default,
 * from {@code conf/net.properties}, is {@code Basic}); the JDK reads it once, when its
 * HTTP client is first used, and offers no per-client switch.
 */
final class ProxyAuthentication extends Authenticator {

	static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

	private final WsProxy proxy;

	ProxyAuthentication(WsProxy proxy) {
		this.proxy = proxy;
	}

	@Override
	protected @Nullable PasswordAuthentication getPasswordAuthentication() {
		String username = this.proxy.username();
		String password = this.proxy.password();
		if (getRequestorType() != RequestorType.PROXY || username == null || password == null
				|| getRequestingPort() != this.proxy.port()
				|| !this.proxy.host().equalsIgnoreCase(getRequestingHost())) {
			return null;
		}
		return new PasswordAuthentication(username, password.toCharArray());
	}

	/**
	 * Whether the JDK sends Basic credentials to a proxy for a tunnel in this JVM.
	 * @return {@code false} when {@value #TUNNELING_DISABLED_SCHEMES} names {@code Basic}
	 */
	static boolean basicThroughTunnels() {
		return basicThroughTunnels(System.getProperty(TUNNELING_DISABLED_SCHEMES), netPropertiesDefault());
	}

	/**
	 * Whether Basic is missing from the disabled schemes.
	 * @param property the system property, or {@code null} when not set
	 * @param netProperties the value in the JDK's {@code conf/net.properties}, or
	 * {@code null}
	 * @return whether Basic credentials are sent through tunnels
	 */
	static boolean basicThroughTunnels(@Nullable String property, @Nullable String netProperties) {
		String schemes = (property != null) ? property : netProperties;
		if (schemes == null) {
			return true;
		}
		return Arrays.stream(schemes.split(","))
			.map((scheme) -> scheme.trim().toLowerCase(Locale.ROOT))
			.noneMatch("basic"::equals);
	}

	private static @Nullable String netPropertiesDefault() {
		Path file = Path.of(System.getProperty("java.home"), "conf", "net.properties");
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(file)) {
			properties.load(in);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		return properties.getProperty(TUNNELING_DISABLED_SCHEMES);
	}

}
