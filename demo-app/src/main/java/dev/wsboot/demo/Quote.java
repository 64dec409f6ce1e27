package dev.wsboot.demo;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * One price tick of the feed (the aliases map a Binance trade stream, see the
 * {@code live} profile).
 *
 * @param symbol the instrument
 * @param price the last price
 * @param seq the feed's sequence number
 */
public record Quote(@JsonAlias("s") String symbol, @JsonAlias("p") BigDecimal price, @JsonAlias("t") long seq) {

}
