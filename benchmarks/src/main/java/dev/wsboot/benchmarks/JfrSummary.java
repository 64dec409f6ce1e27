package dev.wsboot.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a benchmark fork: where CPU samples land (own frame, and
 * the first {@code dev.wsboot} frame on the stack), which threads run, what is allocated
 * (by class and by allocating {@code dev.wsboot} method), and where threads park or
 * block.
 * <p>
 * "Innermost dev.wsboot frame" attributes a sample to the starter method closest to the
 * leaf: the starter's own code plus the library code it calls (spring-messaging, Jackson,
 * Tyrus sends), but not the transport code that calls into the starter.
 * <p>
 * Usage: {@code JfrSummary recording.jfr [top] [skipSeconds]}: events in the first
 * {@code skipSeconds} of the recording (JVM and Spring start, warm-up) are ignored.
 */
public final class JfrSummary {

	private JfrSummary() {
	}

	public static void main(String[] args) throws Exception {
		int top = (args.length > 1) ? Integer.parseInt(args[1]) : 12;
		long skipSeconds = (args.length > 2) ? Long.parseLong(args[2]) : 0;
		Map<String, Long> selfFrames = new HashMap<>();
		Map<String, Long> starterFrames = new HashMap<>();
		Map<String, Long> innermost = new HashMap<>();
		Map<String, Long> allocByInnermost = new HashMap<>();
		Map<String, Long> threads = new HashMap<>();
		Map<String, Long> allocByClass = new HashMap<>();
		Map<String, Long> parks = new HashMap<>();
		Map<String, Long> monitors = new HashMap<>();
		long samples = 0;
		long withStarter = 0;
		long allocated = 0;
		List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
		java.time.Instant first = events.stream()
			.map(RecordedEvent::getStartTime)
			.min(java.util.Comparator.naturalOrder())
			.orElse(java.time.Instant.EPOCH);
		java.time.Instant from = first.plusSeconds(skipSeconds);
		for (RecordedEvent event : events) {
			if (event.getStartTime().isBefore(from)) {
				continue;
			}
			String type = event.getEventType().getName();
			RecordedStackTrace stack = event.getStackTrace();
			switch (type) {
				case "jdk.ExecutionSample" -> {
					samples++;
					if (stack != null && !stack.getFrames().isEmpty()) {
						selfFrames.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
						String starter = outermostStarterFrame(stack.getFrames());
						if (starter != null) {
							withStarter++;
							starterFrames.merge(starter, 1L, Long::sum);
						}
						String inner = innermostStarterFrame(stack.getFrames());
						if (inner != null) {
							innermost.merge(inner, 1L, Long::sum);
						}
					}
					RecordedThread thread = event.getThread("sampledThread");
					threads.merge(threadGroup(thread), 1L, Long::sum);
				}
				case "jdk.ObjectAllocationSample" -> {
					long weight = event.getLong("weight");
					allocated += weight;
					allocByClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
					if (stack != null) {
						String inner = innermostStarterFrame(stack.getFrames());
						allocByInnermost.merge((inner != null) ? inner : "(no dev.wsboot frame)", weight, Long::sum);
					}
				}
				case "jdk.ThreadPark" -> {
					String where = (stack != null) ? firstNonJdkFrame(stack.getFrames()) : "?";
					parks.merge(threadGroup(event.getThread()) + " @ " + where, event.getDuration().toMillis(),
							Long::sum);
				}
				case "jdk.JavaMonitorEnter" -> monitors.merge(event.getClass("monitorClass").getName(), 1L, Long::sum);
				default -> {
				}
			}
		}
		System.out.printf("CPU samples: %d, %.1f%% with a dev.wsboot frame on the stack%n", samples,
				100.0 * withStarter / Math.max(1, samples));
		print("CPU by thread", threads, samples, top);
		print("CPU by own (top) frame", selfFrames, samples, top);
		print("CPU by outermost dev.wsboot frame (inclusive: everything it calls)", starterFrames, samples, top);
		print("CPU by innermost dev.wsboot frame (the starter's code and what it calls)", innermost, samples, top);
		print("Allocation (sampled bytes) by class", allocByClass, allocated, top);
		print("Allocation by innermost dev.wsboot frame", allocByInnermost, allocated, top);
		print("Time parked (jdk.ThreadPark >= 1 ms, ms) by thread @ first non-JDK frame", parks, sum(parks), top);
		print("Contended monitor enters by class", monitors, sum(monitors), top);
	}

	private static long sum(Map<String, Long> map) {
		return map.values().stream().mapToLong(Long::longValue).sum();
	}

	private static void print(String title, Map<String, Long> counts, long total, int top) {
		System.out.println("== " + title + " (total " + total + ")");
		Map<String, Long> sorted = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(top)
			.forEach((entry) -> sorted.put(entry.getKey(), entry.getValue()));
		sorted.forEach((key, value) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * value / Math.max(1, total), key));
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static String firstStarterFrame(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			if (type.startsWith("dev.wsboot.") && !type.startsWith("dev.wsboot.benchmarks.")) {
				return name(frame);
			}
		}
		return null;
	}

	private static String innermostStarterFrame(List<RecordedFrame> frames) {
		return firstStarterFrame(frames);
	}

	private static String outermostStarterFrame(List<RecordedFrame> frames) {
		String found = null;
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			if (type.startsWith("dev.wsboot.") && !type.startsWith("dev.wsboot.benchmarks.")) {
				found = name(frame);
			}
		}
		return found;
	}

	private static String firstNonJdkFrame(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")
					&& !type.startsWith("com.sun.")) {
				return name(frame);
			}
		}
		return frames.isEmpty() ? "?" : name(frames.get(0));
	}

	private static String threadGroup(RecordedThread thread) {
		if (thread == null) {
			return "?";
		}
		String name = (thread.getJavaName() != null) ? thread.getJavaName() : thread.getOSName();
		return name.replaceAll("\\d+", "#");
	}

}
