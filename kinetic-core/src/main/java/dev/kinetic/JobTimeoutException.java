package dev.kinetic;

import java.time.Duration;

/** The wait for a result ran out. The job keeps running and its handle stays usable. */
public class JobTimeoutException extends KineticException {
    private static final long serialVersionUID = 1L;

    public JobTimeoutException(String jobId, Duration waited, JobStatus status) {
        super(
                jobId,
                "job " + jobId + " did not finish within " + waited + " (it is " + status
                        + " and keeps running); call result() again later, or cancel() it",
                null);
    }
}
