package dev.kinetic.spi;

import java.time.Instant;

/**
 * What a backend says about a job right now.
 *
 * @param phase see {@link Phase}
 * @param reason why, when there is something to say (Unschedulable, ImagePullBackOff: image, OOMKilled)
 * @param exitCode the process exit code when {@link Phase#EXITED}
 * @param startedAt when the process or pod started, if known
 * @param abandoned the backend gave up on the job and removed what it had started (e.g. it stayed PENDING past
 *     {@code pending-timeout} for a reason waiting does not heal): no agent will write an outcome, so the core
 *     records this state, FAILED with {@code reason}, as the job's outcome
 * @param queuePosition where a PENDING job waits in the backend's queue (1 for the first), or null when the backend
 *     keeps no queue of its own (the local backend does: its slots)
 */
public record LiveState(
        Phase phase, String reason, Integer exitCode, Instant startedAt, boolean abandoned, Integer queuePosition) {

    public LiveState(Phase phase, String reason, Integer exitCode, Instant startedAt) {
        this(phase, reason, exitCode, startedAt, false, null);
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

    /** The backend gave up on a job that never ran, and removed it; see {@code abandoned}. */
    public static LiveState abandoned(String reason) {
        return new LiveState(Phase.EXITED, reason, null, null, true, null);
    }

    /** PENDING at {@code position} in the backend's queue. */
    public static LiveState queued(String reason, int position) {
        return new LiveState(Phase.PENDING, reason, null, null, false, position);
    }
}
