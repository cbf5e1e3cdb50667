package dev.kinetic;

import java.util.Map;

/**
 * How many inputs of a batch are where.
 *
 * @param size the number of inputs
 * @param notSubmitted inputs that have no job yet
 * @param byStatus inputs by their latest job's status
 */
public record BatchCounts(int size, int notSubmitted, Map<JobStatus, Integer> byStatus) {
    public BatchCounts {
        byStatus = Map.copyOf(byStatus);
    }

    public int count(JobStatus status) {
        return byStatus.getOrDefault(status, 0);
    }

    /** Whether every input has a job that has ended. */
    public boolean done() {
        return notSubmitted == 0 && count(JobStatus.PENDING) == 0 && count(JobStatus.RUNNING) == 0;
    }
}
