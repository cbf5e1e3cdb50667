package dev.kinetic.internal.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The heap of a local task JVM whose options state none: without one a JVM takes a quarter of the machine's memory,
 * so a few jobs side by side overcommit it and the kernel's OOM killer picks victims. It gets three quarters of its
 * {@code memory} request instead (the rest is for metaspace, code, thread stacks and direct buffers), or of its share
 * of the memory jobs may use (its slots' part of about 80 % of the machine's) when it requests none.
 */
final class TaskHeap {
    /** No heap smaller than this is set, whatever the request: a JVM needs it to start at all. */
    private static final long MIN_HEAP = 64L << 20;

    private TaskHeap() {}

    /** {@code jvmArgs}, with {@code -Xmx} added when they set no maximum heap. */
    static List<String> jvmArgs(List<String> jvmArgs, SlotEntry entry) {
        for (String a : jvmArgs) {
            if (a.startsWith("-Xmx")
                    || a.startsWith("-XX:MaxHeapSize")
                    || a.startsWith("-XX:MaxRAM")
                    || a.startsWith("-XX:MaxRAMPercentage")
                    || a.startsWith("-XX:MaxRAMFraction")) {
                return jvmArgs;
            }
        }
        List<String> out = new ArrayList<>(jvmArgs);
        out.add("-Xmx" + heapBytes(entry) / (1 << 20) + "m");
        return out;
    }

    /** Three quarters of the request, or of the job's share of the memory when it requests none. */
    static long heapBytes(SlotEntry entry) {
        int hosts = entry.hosts().size();
        long forJob = entry.memoryBytes() > 0
                ? entry.memoryTaken()
                : (long) ((double) entry.capacityMemoryBytes() * entry.cpuTaken() / entry.capacityCpuMillis());
        return Math.max(MIN_HEAP, forJob / hosts / 4 * 3);
    }
}
