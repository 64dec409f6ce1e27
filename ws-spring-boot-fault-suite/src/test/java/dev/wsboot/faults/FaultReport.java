package dev.wsboot.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The figures of a fault-suite run: each test adds rows, which are printed and appended
 * to the Markdown table in {@code target/fault-suite.md} (system property
 * {@code faults.report}) that {@code docs/conformance.md} quotes.
 */
final class FaultReport {

	private static final Path FILE = Path.of(System.getProperty("faults.report", "target/fault-suite.md"));

	static {
		write("| test | transport | figure | value |\n| --- | --- | --- | --- |\n",
				StandardOpenOption.TRUNCATE_EXISTING);
	}

	private FaultReport() {
	}

	/**
	 * Add one figure.
	 * @param test what ran
	 * @param transport the transport of the client, or {@code "both"}
	 * @param figure what was measured
	 * @param value the value, with its unit
	 */
	static synchronized void add(String test, String transport, String figure, String value) {
		String row = "| " + test + " | " + transport + " | " + figure + " | " + value + " |";
		System.out.println("[fault-suite] " + row);
		write(row + "\n", StandardOpenOption.APPEND);
	}

	static String mb(long bytes) {
		return String.format("%.1f MB", bytes / (double) HeapWatch.MB);
	}

	static String ms(Duration duration) {
		return duration.toMillis() + " ms";
	}

	/**
	 * Median, 99th percentile and maximum of some durations.
	 * @param durations the durations, in any order
	 * @return for example {@code "p50 31 ms, p99 90 ms, max 102 ms (n=100)"}
	 */
	static String distribution(List<Duration> durations) {
		List<Duration> sorted = durations.stream().sorted().toList();
		if (sorted.isEmpty()) {
			return "none";
		}
		return "p50 " + ms(percentile(sorted, 50)) + ", p99 " + ms(percentile(sorted, 99)) + ", max "
				+ ms(sorted.get(sorted.size() - 1)) + " (n=" + sorted.size() + ")";
	}

	private static Duration percentile(List<Duration> sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	private static void write(String text, StandardOpenOption mode) {
		try {
			Files.createDirectories(FILE.toAbsolutePath().getParent());
			Files.writeString(FILE, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, mode,
					StandardOpenOption.WRITE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
