package dev.wsboot.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A market-data consumer: the {@code ticker} client reads JSON price ticks from the feed
 * this application serves itself at {@code /feed}, and the {@code echo} client
 * round-trips binary frames through {@code /echo}. Run it and open
 * {@code /actuator/health} and {@code /quotes}.
 */
@SpringBootApplication
@EnableScheduling
public class DemoApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
