package dev.wsboot.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

import dev.wsboot.client.event.WsClientOwnershipEvent;

/**
 * One replica of a clustered application: the starter's auto-configuration, a pooled
 * DataSource on {@code cluster.datasource.url} (the JDBC lock registry is auto-configured
 * on it), clients from {@code ws.clients.*}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ClusterTestApplication {

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(Environment environment) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(environment.getRequiredProperty("cluster.datasource.url"));
		dataSource.setUsername("postgres");
		dataSource.setConnectionTimeout(2000);
		dataSource.setMaximumPoolSize(4);
		return dataSource;
	}

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
