package dev.wsboot.benchmarks;

/**
 * A Jetty server in its own process for the footprint and start-up probes: prints
 * {@code PORT=<port>} and runs until its standard input closes, or with
 * {@code --until-killed} until it is killed.
 */
public final class IdleServer {

	private IdleServer() {
	}

	public static void main(String[] args) throws Exception {
		try (FeedServer server = FeedServer.start(0, 32)) {
			System.out.println("PORT=" + server.port());
			System.out.flush();
			if (args.length > 0 && args[0].equals("--until-killed")) {
				Thread.sleep(Long.MAX_VALUE);
			}
			while (System.in.read() >= 0) {
				// wait for EOF
			}
		}
	}

}
