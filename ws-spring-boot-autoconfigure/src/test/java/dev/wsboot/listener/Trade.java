package dev.wsboot.listener;

/**
 * A JSON payload for tests.
 *
 * @param symbol the symbol
 * @param price the price
 */
record Trade(String symbol, double price) {
}
