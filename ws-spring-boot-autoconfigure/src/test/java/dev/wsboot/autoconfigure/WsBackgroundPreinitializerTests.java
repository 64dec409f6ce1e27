package dev.wsboot.autoconfigure;

import java.io.File;
import java.lang.reflect.Constructor;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WsBackgroundPreinitializer}: each run in a class loader of its own, so
 * that what it loads can be seen.
 */
class WsBackgroundPreinitializerTests {

	@Test
	void isRegisteredWithSpringBoot() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(BackgroundPreinitializer.class))
			.anyMatch(WsBackgroundPreinitializer.class::isInstance);
	}

	@Test
	void loadsTheClientsAndTyrusClasses() throws Exception {
		try (IsolatedClassLoader loader = IsolatedClassLoader.of((entry) -> true)) {
			loader.preinitialize();
			assertThat(loader.loaded("dev.wsboot.client.ManagedWsClient")).isTrue();
			assertThat(loader.loaded("dev.wsboot.autoconfigure.WsProperties$Client")).isTrue();
			assertThat(loader.loaded("dev.wsboot.client.WsClientSettings")).isTrue();
			assertThat(loader.loaded("org.springframework.messaging.converter.CompositeMessageConverter")).isTrue();
			assertThat(loader.loaded("dev.wsboot.transport.tyrus.TyrusInternals")).isTrue();
			assertThat(loader.loaded("org.glassfish.tyrus.core.TyrusWebSocket")).isTrue();
			assertThat(loader.loaded("dev.wsboot.transport.tyrus.TyrusWsTransport")).isTrue();
		}
	}

	@Test
	void leavesTyrusAloneWhenItIsNotOnTheClassPath() throws Exception {
		try (IsolatedClassLoader loader = IsolatedClassLoader
			.of((entry) -> !entry.contains("/tyrus-") && !entry.contains("/jakarta.websocket"))) {
			loader.preinitialize();
			assertThat(loader.loaded("dev.wsboot.client.ManagedWsClient")).isTrue();
			assertThat(loader.loaded("dev.wsboot.transport.tyrus.TyrusInternals")).isFalse();
			assertThat(loader.loaded("dev.wsboot.transport.tyrus.TyrusWsTransport")).isFalse();
		}
	}

	/** The test class path, or part of it, without the application class loader. */
	private static final class IsolatedClassLoader extends URLClassLoader {

		private IsolatedClassLoader(URL[] urls) {
			super(urls, ClassLoader.getPlatformClassLoader());
		}

		static IsolatedClassLoader of(Predicate<String> entries) throws MalformedURLException {
			List<URL> urls = new ArrayList<>();
			for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
				if (entries.test(entry)) {
					urls.add(new File(entry).toURI().toURL());
				}
			}
			return new IsolatedClassLoader(urls.toArray(URL[]::new));
		}

		void preinitialize() throws Exception {
			Class<?> type = loadClass(WsBackgroundPreinitializer.class.getName());
			Constructor<?> constructor = type.getDeclaredConstructor();
			constructor.setAccessible(true);
			loadClass(BackgroundPreinitializer.class.getName()).getMethod("preinitialize")
				.invoke(constructor.newInstance());
		}

		boolean loaded(String className) {
			return findLoadedClass(className) != null;
		}

	}

}
