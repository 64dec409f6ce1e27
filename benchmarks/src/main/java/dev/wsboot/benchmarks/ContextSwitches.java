package dev.wsboot.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Voluntary context switches of every thread of this JVM, from {@code /proc} (Linux). */
final class ContextSwitches {

	private ContextSwitches() {
	}

	static long voluntary() {
		long total = 0;
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
			for (Path task : tasks) {
				try {
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.startsWith("voluntary_ctxt_switches:")) {
							total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
				}
				catch (IOException ex) {
					// the thread ended
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return total;
	}

}
