package dev.wsboot.demo;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.wsboot.annotation.WsListener;

/**
 * Consumes the {@code ticker} client's quotes: keeps the last price per symbol and a
 * count, shown at {@code GET /quotes}.
 */
@Component
@RestController
class QuoteBook {

	private static final Log logger = LogFactory.getLog(QuoteBook.class);

	private final Map<String, BigDecimal> lastPrices = new ConcurrentHashMap<>();

	private final AtomicLong received = new AtomicLong();

	@WsListener("ticker")
	void onQuote(Quote quote) {
		this.lastPrices.put(quote.symbol(), quote.price());
		long count = this.received.incrementAndGet();
		if (count % 20 == 1) {
			logger.info("Quote #" + count + ": " + quote.symbol() + " " + quote.price());
		}
	}

	@GetMapping("/quotes")
	Map<String, Object> summary() {
		return Map.of("received", this.received.get(), "lastPrices", Map.copyOf(this.lastPrices));
	}

	long received() {
		return this.received.get();
	}

}
