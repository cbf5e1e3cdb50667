package dev.kinetic.internal.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * A process named by its pid and start time, stored as {@code "<pid> <startMillis>"}: a pid alone may by now
 * belong to another process. Used for the local agents' pid files and the class-archive locks.
 *
 * @param pid the process id
 * @param startMillis its start time in epoch milliseconds, or 0 when the system did not say
 */
public record ProcessIdentity(long pid, long startMillis) {
    /** How far two readings of one process's start time may differ (they are rounded differently). */
    private static final long START_TOLERANCE_MILLIS = 2000;

    /** The process with this pid as it is now. */
    public static ProcessIdentity of(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return new ProcessIdentity(pid, handle.isPresent() ? startOf(handle.get()) : 0);
    }

    /**
     * Reads {@code "<pid> <startMillis>"}.
     *
     * @throws IllegalArgumentException if the text is not in that form
     */
    public static ProcessIdentity parse(String text) {
        String[] parts = text.trim().split(" ");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not '<pid> <startMillis>': " + text);
        }
        return new ProcessIdentity(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    /** The form {@link #parse} reads. */
    public String text() {
        return pid + " " + startMillis;
    }

    /** The process, if it is alive and still the one that was named (an unknown start time matches any). */
    public Optional<ProcessHandle> running() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return Optional.empty();
        }
        long actual = startOf(handle.get());
        boolean same = startMillis == 0 || actual == 0 || Math.abs(actual - startMillis) < START_TOLERANCE_MILLIS;
        return same ? handle : Optional.empty();
    }

    private static long startOf(ProcessHandle handle) {
        Optional<Instant> start = handle.info().startInstant();
        return start.isPresent() ? start.get().toEpochMilli() : 0;
    }
}
