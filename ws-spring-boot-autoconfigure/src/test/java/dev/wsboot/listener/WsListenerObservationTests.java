package dev.wsboot.listener;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.wsboot.annotation.WsListener;
import dev.wsboot.client.WsMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@code ws.client.listener} observation of {@code @WsListener}
 * invocations.
 */
class WsListenerObservationTests {

	private final MeterRegistry meterRegistry = new SimpleMeterRegistry();

	private final ObservationRegistry observationRegistry = ObservationRegistry.create();

	private final RecordingWsClient ticker = new RecordingWsClient("ticker");

	WsListenerObservationTests() {
		this.observationRegistry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry));
	}

	@Test
	void invocationsAreTimedWithClientListenerOutcomeAndException() {
		try (ListenerTestContext context = observed(TextListener.class)) {
			context.deliver(this.ticker, WsMessage.text("ok", true));
			context.deliver(this.ticker, WsMessage.text("ok", true));
			context.deliver(this.ticker, WsMessage.text("fail", true));
		}
		assertThat(this.meterRegistry.get("ws.client.listener")
			.tags("client", "ticker", "listener", "TextListener.onText", "outcome", "SUCCESS", "exception", "none")
			.timer()
			.count()).isEqualTo(2);
		assertThat(this.meterRegistry.get("ws.client.listener")
			.tags("client", "ticker", "listener", "TextListener.onText", "outcome", "ERROR", "exception",
					"IllegalStateException")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void unconvertiblePayloadIsTimedAsError() {
		try (ListenerTestContext context = observed(TradeListener.class)) {
			context.deliver(this.ticker, WsMessage.text("not json", true));
		}
		assertThat(this.meterRegistry.get("ws.client.listener")
			.tags("listener", "TradeListener.onTrade", "outcome", "ERROR", "exception", "MessageConversionException")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void messagesOfAnotherFrameTypeAreNotObserved() {
		try (ListenerTestContext context = observed(TextListener.class)) {
			context.deliver(this.ticker, WsMessage.binary(ByteBuffer.wrap(new byte[] { 1 }), true));
		}
		assertThat(this.meterRegistry.find("ws.client.listener").timers()).isEmpty();
	}

	@Test
	void observationIsCurrentWhileTheListenerRuns() {
		try (ListenerTestContext context = observed(TextListener.class)) {
			context.deliver(this.ticker, WsMessage.text("ok", true));
			assertThat(context.bean(TextListener.class).observations).singleElement()
				.satisfies((observation) -> assertThat(observation.getContext())
					.isInstanceOf(WsListenerObservationContext.class));
		}
	}

	@Test
	void userConventionBeanReplacesTheDefault() {
		try (ListenerTestContext context = observed(TextListener.class, CustomConvention.class)) {
			context.deliver(this.ticker, WsMessage.text("ok", true));
		}
		assertThat(this.meterRegistry.get("ws.client.listener")
			.tags("client", "ticker", "outcome", "SUCCESS", "size", "2")
			.timer()
			.count()).isEqualTo(1);
	}

	private ListenerTestContext observed(Class<?>... beans) {
		return ListenerTestContext
			.of((context) -> context.registerBean(ObservationRegistry.class, () -> this.observationRegistry), beans);
	}

	static class TextListener {

		final List<Observation> observations = new CopyOnWriteArrayList<>();

		private final ObservationRegistry observationRegistry;

		TextListener(ObservationRegistry observationRegistry) {
			this.observationRegistry = observationRegistry;
		}

		@WsListener("ticker")
		void onText(String text) {
			Observation current = this.observationRegistry.getCurrentObservation();
			if (current != null) {
				this.observations.add(current);
			}
			if (text.equals("fail")) {
				throw new IllegalStateException("failed");
			}
		}

	}

	static class TradeListener {

		@WsListener("ticker")
		void onTrade(Trade trade) {
		}

	}

	static class CustomConvention extends DefaultWsListenerObservationConvention {

		@Override
		public KeyValues getLowCardinalityKeyValues(WsListenerObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("size",
					String.valueOf(context.getMessage().text().length()));
		}

	}

}
