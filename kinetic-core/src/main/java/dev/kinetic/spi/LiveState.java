package dev.kinetic.spi;

import java.time.Instant;

/**
 * What a backend says about a job right now.
 *
 * @param phase see {@link Phase}
 * @param reason why, when there is something to say (Unschedulable, ImagePullBackOff: image, OOMKilled)
 * @param exitCode the process exit code when {@link Phase#EXITED}
 * @param startedAt when the process or pod started, if known
 */
public record LiveState(Phase phase, String reason, Integer exitCode, Instant startedAt) {

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
}
