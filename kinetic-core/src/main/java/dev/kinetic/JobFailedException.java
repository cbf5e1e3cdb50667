package dev.kinetic;

/**
 * The job's function threw, or the job failed before it could run (a missing artifact, a killed process).
 * Like {@link java.util.concurrent.ExecutionException}, {@link #getCause()} is the original exception with
 * its remote stack trace when its class loads here, otherwise a {@link RemoteException}; it is {@code null}
 * when the job failed outside the function (see {@link #reason()} and {@link #phase()}).
 */
public class JobFailedException extends KineticException {
    private static final long serialVersionUID = 1L;
    private final String phase;
    private final String reason;

    public JobFailedException(String jobId, String phase, String reason, Throwable cause) {
        super(jobId, "job " + jobId + " failed" + (phase == null ? "" : " in phase " + phase) + ": " + reason
                + ". Read its log with `kinetic jobs logs " + jobId + "`.", cause);
        this.phase = phase;
        this.reason = reason;
    }

    /** Where it failed: download, verify, deserialize, execute, serialize-result, or agent. */
    public String phase() {
        return phase;
    }

    /** A one-line reason, e.g. {@code java.lang.IllegalStateException: bad lr} or {@code killed by signal 9}. */
    public String reason() {
        return reason;
    }
}
