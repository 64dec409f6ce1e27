package dev.wsboot.cluster;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * A replica in its own JVM, for crash tests: the arguments are {@code --key=value}
 * properties. Prints {@code READY} once the context has started, then runs until killed.
 */
public final class ClusterReplicaMain {

	private ClusterReplicaMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		SpringApplication application = new SpringApplication(ClusterTestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args);
		System.out.println("READY");
		System.out.flush();
		// every thread of the replica is a daemon: stay alive until killed
		new CountDownLatch(1).await();
	}

}
