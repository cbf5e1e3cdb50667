package dev.kinetic;

/** The job was cancelled, so it has no result. */
public class JobCancelledException extends KineticException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(String jobId) {
        super(jobId, "job " + jobId + " was cancelled and has no result", null);
    }
}
