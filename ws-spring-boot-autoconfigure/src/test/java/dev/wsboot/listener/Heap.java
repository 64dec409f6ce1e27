package dev.wsboot.listener;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap measurements for memory-bound tests: what is still reachable after a full GC.
 */
final class Heap {

	static final long MB = 1024 * 1024;

	private Heap() {
	}

	/**
	 * The heap in use after garbage collection: roughly what is retained.
	 * @return bytes in use
	 */
	static long retained() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		memory.gc();
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

}
