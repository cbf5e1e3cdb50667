package dev.kinetic.internal.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link LocalSlots#admit} decided for one job: admitted, or waiting at a position in the queue, with what the
 * running jobs hold (for the PENDING reason, e.g. "waiting for a local slot: 2 of 2 in use (cpu-train-…,
 * cpu-eval-…)").
 */
final class SlotDecision {
    /** At most this many running jobs are named in a reason. */
    private static final int NAMED = 4;

    boolean admitted;
    /** This job's claim; null when it is in neither the queue nor the running claims (removed by a cleanup). */
    SlotEntry entry;
    /** 1 for the first job waiting. */
    int position;
    /** Whether a job queued earlier does not fit yet (this one waits behind it, whether it would fit or not). */
    boolean behindOthers;
    /** Whether this job would fit by its CPU request but not by its memory request. */
    boolean memoryBound;

    long usedCpu;
    long usedMemory;
    final List<String> running = new ArrayList<>();

    /** Whether {@code entry} fits beside what is in use. */
    boolean fits(SlotEntry entry) {
        return usedCpu + entry.cpuTaken() <= entry.capacityCpuMillis()
                && usedMemory + entry.memoryTaken() <= entry.capacityMemoryBytes();
    }

    /** Counts {@code entry}'s share as in use: it runs, or is about to. */
    void reserve(SlotEntry entry) {
        usedCpu += entry.cpuTaken();
        usedMemory += entry.memoryTaken();
        running.add(entry.jobId());
    }

    /** This job waits, at {@code position}, behind a job that does not fit yet or because it does not fit itself. */
    void waiting(SlotEntry entry, int position, boolean behindOthers) {
        this.entry = entry;
        this.position = position;
        this.behindOthers = behindOthers;
        this.memoryBound = !behindOthers && usedCpu + entry.cpuTaken() <= entry.capacityCpuMillis();
    }

    static SlotDecision admitted(SlotEntry entry) {
        SlotDecision d = new SlotDecision();
        d.admitted = true;
        d.entry = entry;
        return d;
    }

    /** Why the job waits, for its PENDING status. */
    String reason() {
        StringBuilder b = new StringBuilder();
        if (memoryBound) {
            b.append("waiting for local memory: ")
                    .append(gib(usedMemory))
                    .append(" of ")
                    .append(gib(entry.capacityMemoryBytes()))
                    .append(" requested by running jobs");
        } else {
            b.append("waiting for a local slot: ")
                    .append(slots(usedCpu))
                    .append(" of ")
                    .append(slots(entry.capacityCpuMillis()))
                    .append(" in use");
        }
        if (!running.isEmpty()) {
            b.append(" (");
            for (int i = 0; i < running.size() && i < NAMED; i++) {
                b.append(i == 0 ? "" : ", ").append(running.get(i));
            }
            if (running.size() > NAMED) {
                b.append(", and ").append(running.size() - NAMED).append(" more");
            }
            b.append(')');
        }
        if (behindOthers) {
            b.append("; ")
                    .append(position - 1)
                    .append(position == 2 ? " job" : " jobs")
                    .append(" ahead in the queue");
        } else if (memoryBound) {
            b.append("; it requests ").append(gib(entry.memoryTaken()));
        } else if (entry.cpuMillis() != 1000) {
            b.append("; it requests ").append(slots(entry.cpuMillis()));
            if (entry.cpuMillis() > entry.capacityCpuMillis()) {
                b.append(", more than there are: it runs alone");
            }
        }
        return b.toString();
    }

    /** Thousandths of a slot as slots: "2", "1.5". */
    static String slots(long millis) {
        if (millis % 1000 == 0) {
            return String.valueOf(millis / 1000);
        }
        long tenths = Math.round(millis / 100.0);
        return tenths / 10 + "." + tenths % 10;
    }

    private static String gib(long bytes) {
        long tenths = Math.round(bytes * 10.0 / (1L << 30));
        return tenths / 10 + "." + tenths % 10 + " GiB";
    }
}
