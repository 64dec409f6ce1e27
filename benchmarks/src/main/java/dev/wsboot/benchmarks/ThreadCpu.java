package dev.wsboot.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads, grouped by name with digits stripped
 * ({@code Grizzly(#)}, {@code ws-listener-#}): snapshots and the CPU microseconds per
 * message between two.
 */
final class ThreadCpu {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final Map<Long, String> groups = new HashMap<>();

	private final Map<Long, Long> nanos = new HashMap<>();

	private ThreadCpu() {
	}

	static ThreadCpu snapshot() {
		ThreadCpu snapshot = new ThreadCpu();
		for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			long cpu = THREADS.getThreadCpuTime(info.getThreadId());
			if (cpu >= 0) {
				snapshot.groups.put(info.getThreadId(), info.getThreadName().replaceAll("\\d+", "#"));
				snapshot.nanos.put(info.getThreadId(), cpu);
			}
		}
		return snapshot;
	}

	/**
	 * CPU per message by thread group since {@code before}.
	 * @return e.g. {@code Grizzly(#)=1.20 jetty-streamer=0.41 total=2.30} (µs per
	 * message)
	 */
	String perMessage(ThreadCpu before, long messages) {
		Map<String, Long> byGroup = new TreeMap<>();
		long total = 0;
		for (Map.Entry<Long, Long> entry : this.nanos.entrySet()) {
			long delta = entry.getValue() - before.nanos.getOrDefault(entry.getKey(), 0L);
			byGroup.merge(this.groups.get(entry.getKey()), delta, Long::sum);
			total += delta;
		}
		StringBuilder text = new StringBuilder();
		for (Map.Entry<String, Long> entry : byGroup.entrySet()) {
			double micros = entry.getValue() / 1000.0 / Math.max(1, messages);
			if (micros >= 0.005) {
				text.append(entry.getKey().replace(' ', '_'))
					.append('=')
					.append(String.format(Locale.ROOT, "%.2f", micros))
					.append(' ');
			}
		}
		return text.append("total=")
			.append(String.format(Locale.ROOT, "%.2f", total / 1000.0 / Math.max(1, messages)))
			.toString();
	}

}
