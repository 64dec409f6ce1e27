package dev.wsboot.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * An {@link ApplicationStartup} that measures the CPU time of each start-up step on the
 * thread that runs it, without the steps nested in it ("self" time), summed by step name
 * and bean: where the main thread's CPU goes while the context starts, which sampling
 * profilers attribute poorly (class loading and linking). {@link StartupTime} prints the
 * largest with {@code -Dstartup.cpu=N}. A step must end on the thread that started it, as
 * Spring's and Boot's do.
 */
final class CpuStartupSteps implements ApplicationStartup {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final AtomicLong ids = new AtomicLong();

	private final ThreadLocal<Deque<Step>> open = ThreadLocal.withInitial(ArrayDeque::new);

	private final Map<String, Long> selfNanos = new ConcurrentHashMap<>();

	@Override
	public StartupStep start(String name) {
		Deque<Step> stack = this.open.get();
		Step step = new Step(name, this.ids.incrementAndGet(), stack.peek(), stack);
		stack.push(step);
		return step;
	}

	/** The largest self CPU times, "ms step [bean]" per line. */
	List<String> largest(int count) {
		List<Map.Entry<String, Long>> entries = new ArrayList<>(this.selfNanos.entrySet());
		entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
		List<String> lines = new ArrayList<>();
		for (Map.Entry<String, Long> entry : entries.subList(0, Math.min(count, entries.size()))) {
			lines.add(String.format("%6.1f ms  %s", entry.getValue() / 1e6, entry.getKey()));
		}
		return lines;
	}

	private final class Step implements StartupStep {

		private final String name;

		private final long id;

		private final Step parent;

		private final Deque<Step> stack;

		private final long started = THREADS.getCurrentThreadCpuTime();

		private long nested;

		private String bean = "";

		Step(String name, long id, Step parent, Deque<Step> stack) {
			this.name = name;
			this.id = id;
			this.parent = parent;
			this.stack = stack;
		}

		@Override
		public String getName() {
			return this.name;
		}

		@Override
		public long getId() {
			return this.id;
		}

		@Override
		public Long getParentId() {
			return (this.parent != null) ? this.parent.id : null;
		}

		@Override
		public StartupStep tag(String key, String value) {
			if (key.equals("beanName")) {
				this.bean = " " + value;
			}
			return this;
		}

		@Override
		public StartupStep tag(String key, Supplier<String> value) {
			return tag(key, value.get());
		}

		@Override
		public Tags getTags() {
			return () -> Collections.<Tag>emptyIterator();
		}

		@Override
		public void end() {
			long total = THREADS.getCurrentThreadCpuTime() - this.started;
			CpuStartupSteps.this.selfNanos.merge(this.name + this.bean, total - this.nested, Long::sum);
			if (this.parent != null) {
				this.parent.nested += total;
			}
			// steps end in reverse order of their start on their thread
			Iterator<Step> steps = this.stack.iterator();
			while (steps.hasNext()) {
				if (steps.next() == this) {
					steps.remove();
					break;
				}
			}
		}

	}

}
