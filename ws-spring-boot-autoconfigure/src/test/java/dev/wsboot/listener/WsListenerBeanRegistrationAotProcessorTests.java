package dev.wsboot.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.autoconfigure.WsAutoConfiguration;
import dev.wsboot.client.WsClient;
import dev.wsboot.client.WsMessage;

import org.springframework.aot.AotDetector;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WsListenerBeanRegistrationAotProcessor}: the runtime hints a native
 * image (or {@code spring.aot.enabled}) needs for {@code @WsListener} beans.
 */
class WsListenerBeanRegistrationAotProcessorTests {

	private final WsListenerBeanRegistrationAotProcessor processor = new WsListenerBeanRegistrationAotProcessor();

	@Test
	void listenerMethodsAreRegisteredForInvocation() {
		RuntimeHints hints = hintsFor(TradeListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TradeListener.class, "onTrade"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TradeListener.class, "onText"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TradeListener.class, "notAListener"))
			.rejects(hints);
	}

	@Test
	void convertedPayloadTypesAreRegisteredForJsonBinding() {
		RuntimeHints hints = hintsFor(TradeListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(Trade.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Trade.class, "symbol")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(Trade.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
	}

	@Test
	void elementTypesOfGenericPayloadsAreRegisteredForJsonBinding() {
		RuntimeHints hints = hintsFor(TradeListListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(Trade.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Trade.class, "price")).accepts(hints);
	}

	@Test
	void replyTypesSentAsJsonAreRegisteredIncludingThoseOfAFuture() {
		RuntimeHints hints = hintsFor(ReplyingListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(Ack.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Ack.class, "id")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Receipt.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "number")).accepts(hints);
	}

	@Test
	void passThroughTypesAndCollaboratorsAreNotRegisteredForBinding() {
		RuntimeHints hints = hintsFor(PassThroughListener.class);
		assertThat(RuntimeHintsPredicates.reflection().onType(WsMessage.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(WsClient.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(ByteBuffer.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(String.class)).rejects(hints);
	}

	@Test
	void beansWithoutListenersContributeNothing() {
		assertThat(this.processor.processAheadOfTime(registeredBean(NoListener.class))).isNull();
	}

	@Test
	void processorIsRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class))
			.hasAtLeastOneElementOfType(WsListenerBeanRegistrationAotProcessor.class);
	}

	@Test
	void aotProcessingOfAnApplicationGeneratesClientBeansAndContributesListenerHints() throws IOException {
		assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			TestPropertyValues.of("ws.clients.feed.url=ws://127.0.0.1:9/feed").applyTo(context);
			context.register(App.class);
			InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
			DefaultGenerationContext generationContext = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(App.class)), files);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			generationContext.writeGeneratedContent();
			RuntimeHints hints = generationContext.getRuntimeHints();
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TradeListener.class, "onTrade"))
				.accepts(hints);
			assertThat(RuntimeHintsPredicates.reflection().onType(Trade.class)).accepts(hints);
			List<String> sources = new ArrayList<>();
			for (String path : files.getGeneratedFiles(Kind.SOURCE).keySet()) {
				sources.add(files.getGeneratedFileContent(Kind.SOURCE, path));
			}
			assertThat(sources)
				.anySatisfy((source) -> assertThat(source).contains("createClient").contains("\"feed\""));
		}
	}

	private RuntimeHints hintsFor(Class<?> beanClass) {
		BeanRegistrationAotContribution contribution = this.processor.processAheadOfTime(registeredBean(beanClass));
		assertThat(contribution).isNotNull();
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(beanClass)), new InMemoryGeneratedFiles());
		contribution.applyTo(generationContext, mock(BeanRegistrationCode.class));
		return generationContext.getRuntimeHints();
	}

	private static RegisteredBean registeredBean(Class<?> beanClass) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("listener", new RootBeanDefinition(beanClass));
		return RegisteredBean.of(beanFactory, "listener");
	}

	record Ack(String id) {
	}

	record Receipt(long number) {
	}

	static class TradeListener {

		@WsListener("feed")
		void onTrade(Trade trade) {
		}

		@WsListener("feed")
		void onText(String text, WsClient client) {
		}

		void notAListener(Trade trade) {
		}

	}

	static class TradeListListener {

		@WsListener("feed")
		void onTrades(List<Trade> trades) {
		}

	}

	static class ReplyingListener {

		@WsListener("feed")
		Ack onText(String text) {
			return new Ack(text);
		}

		@WsListener("feed")
		CompletableFuture<Receipt> onBinary(byte[] data) {
			return CompletableFuture.completedFuture(new Receipt(data.length));
		}

	}

	static class PassThroughListener {

		@WsListener("feed")
		String onMessage(WsMessage message, WsClient client) {
			return "ok";
		}

		@WsListener(value = "feed", partial = true)
		ByteBuffer onPart(ByteBuffer part, boolean last) {
			return part;
		}

	}

	static class NoListener {

		void onTrade(Trade trade) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, WsAutoConfiguration.class })
	@Import(TradeListener.class)
	static class App {

	}

}
