/**
 * A runnable market-data consumer on ws-spring-boot, with its own embedded price feed.
 */
package dev.wsboot.demo;
