package dev.kinetic;

import java.time.Duration;

/**
 * The wait for a result ran out. The job keeps running and its handle stays usable. It says where the job was
 * when the wait ended, and why, so a job that never started explains itself:
 * <pre>{@code
 * } catch (JobTimeoutException e) {
 *     if (e.status() == JobStatus.PENDING) log.warn("never started: {}", e.reason());
 * }
 * }</pre>
 */
public class JobTimeoutException extends KineticException {
    private static final long serialVersionUID = 1L;

    private final JobStatus status;
    private final String reason;

    public JobTimeoutException(String jobId, Duration waited, JobStatus status) {
        this(jobId, waited, status, null);
    }

    /**
     * @param status the job's status when the wait ended
     * @param reason why it is in that status (for PENDING: what it waits for), or null
     */
    public JobTimeoutException(String jobId, Duration waited, JobStatus status, String reason) {
        super(
                jobId,
                "job " + jobId + " did not finish within " + waited + " (it is " + status
                        + (reason == null ? "" : ": " + reason)
                        + ", and keeps running); call result() again later, or cancel() it",
                null);
        this.status = status;
        this.reason = reason;
    }

    /** The job's status when the wait ended: PENDING or RUNNING. */
    public JobStatus status() {
        return status;
    }

    /** Why the job was in that status (e.g. the image it cannot pull), or null when there was nothing to say. */
    public String reason() {
        return reason;
    }
}
