package dev.wsboot.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.benchmarks.Messages.Quote;
import dev.wsboot.transport.tyrus.TyrusWsTransport;

/**
 * The starter as an application uses it: a Spring Boot context with auto-configuration,
 * {@code ws.clients.*} properties and {@code @WsListener} beans.
 */
public final class StarterApp {

	private StarterApp() {
	}

	/**
	 * Start a non-web application context.
	 * @param properties {@code ws.*} and other properties
	 * @param sources configuration classes
	 * @return the running context
	 */
	public static ConfigurableApplicationContext run(Map<String, Object> properties, Class<?>... sources) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("spring.main.banner-mode", "off");
		all.put("spring.jmx.enabled", "false");
		all.put("logging.level.root", "WARN");
		all.putAll(properties);
		Class<?>[] withBase = new Class<?>[sources.length + 1];
		withBase[0] = Base.class;
		System.arraycopy(sources, 0, withBase, 1, sources.length);
		return new SpringApplicationBuilder(withBase).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(all)
			.run();
	}

	/** Everything auto-configured, as in a {@code @SpringBootApplication}. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	public static class Base {

	}

	/** The Tyrus transport on Tyrus's JDK NIO container instead of Grizzly. */
	@Configuration(proxyBeanMethods = false)
	public static class JdkContainer {

		@Bean
		TyrusWsTransport tyrusWsTransport() {
			return new TyrusWsTransport(TyrusWsTransport.JDK_CONTAINER);
		}

	}

	/** A {@code @WsListener(String)} counting text messages of every client. */
	@Configuration(proxyBeanMethods = false)
	public static class TextListenerConfig {

		@Bean
		TextListener textListener() {
			return new TextListener();
		}

	}

	/** A {@code @WsListener(Quote)} converting every text message from JSON. */
	@Configuration(proxyBeanMethods = false)
	public static class QuoteListenerConfig {

		@Bean
		QuoteListener quoteListener() {
			return new QuoteListener();
		}

	}

	/** A {@code @WsListener(String)} that completes the pending echo. */
	@Configuration(proxyBeanMethods = false)
	public static class EchoListenerConfig {

		@Bean
		EchoListener echoListener() {
			return new EchoListener();
		}

	}

	public static final class TextListener {

		public final AtomicLong received = new AtomicLong();

		@WsListener
		public void onText(String text) {
			this.received.incrementAndGet();
		}

	}

	public static final class QuoteListener {

		public final AtomicLong received = new AtomicLong();

		public long quantities;

		@WsListener
		public void onQuote(Quote quote) {
			this.quantities += quote.qty();
			this.received.incrementAndGet();
		}

	}

	public static final class EchoListener {

		public volatile CompletableFuture<String> pending = new CompletableFuture<>();

		@WsListener
		public void onText(String text) {
			this.pending.complete(text);
		}

	}

}
