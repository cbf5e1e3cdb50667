package dev.kinetic;

/**
 * Where a job is in its life.
 * <pre>
 * PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED;  NOT_FOUND: no such job (cleaned up, or never submitted)
 * </pre>
 */
public enum JobStatus {
    /** Accepted; the function has not started (waiting for a process, a node, an image). */
    PENDING,
    /** The function is executing. */
    RUNNING,
    /** The function returned; its result is stored. */
    SUCCEEDED,
    /** The function threw, or the job died; everything is kept for debugging. */
    FAILED,
    /** Someone cancelled it. */
    CANCELLED,
    /** Neither the backend nor the store knows the job. */
    NOT_FOUND;

    /** Whether the job has ended and will not change by itself. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == NOT_FOUND;
    }
}
