package dev.kinetic.spi;

import java.time.Instant;

/**
 * What a backend says about a job right now.
 *
 * @param phase see {@link Phase}
 * @param reason why, when there is something to say (Unschedulable, ImagePullBackOff: image, OOMKilled)
 * @param exitCode the process exit code when {@link Phase#EXITED}
 * @param startedAt when the process or pod started, if known
 * @param queuePosition where a PENDING job waits in the backend's queue (1 for the first), or null when the backend
 *     keeps no queue of its own (the local backend does: its slots)
 */
public record LiveState(Phase phase, String reason, Integer exitCode, Instant startedAt, Integer queuePosition) {

    /** A state without a queue position. */
    public LiveState(Phase phase, String reason, Integer exitCode, Instant startedAt) {
        this(phase, reason, exitCode, startedAt, null);
    }

    public enum Phase {
        /** Accepted, not running yet (no node, pulling the image). */
        PENDING,
        /** The agent process is alive. */
        RUNNING,
        /** The agent process ended; {@code exitCode} says how. The store says more if the agent wrote a result. */
        EXITED,
        /** The backend has no resource for the job (never created, deleted, or expired). */
        GONE,
        /** This backend cannot tell from here (e.g. a local job on another machine). */
        UNKNOWN
    }

    public static LiveState of(Phase phase) {
        return new LiveState(phase, null, null, null);
    }

    public static LiveState pending(String reason) {
        return new LiveState(Phase.PENDING, reason, null, null);
    }

    /** PENDING at {@code position} in the backend's queue. */
    public static LiveState queued(String reason, int position) {
        return new LiveState(Phase.PENDING, reason, null, null, position);
    }
}
