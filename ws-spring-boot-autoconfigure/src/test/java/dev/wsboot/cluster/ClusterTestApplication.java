package dev.wsboot.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.wsboot.client.event.WsClientOwnershipEvent;

/**
 * One replica of a clustered application: the starter's auto-configuration, a DataSource
 * from {@code spring.datasource.*}, clients from {@code ws.clients.*}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ClusterTestApplication {

	@Bean
	OwnershipEvents ownershipEvents() {
		return new OwnershipEvents();
	}

	static final class OwnershipEvents {

		final List<String> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(WsClientOwnershipEvent event) {
			this.events.add(event.client().name() + "=" + event.owner());
		}

	}

}
