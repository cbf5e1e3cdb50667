package dev.kinetic;

import java.util.List;

/**
 * The job's function threw, or the job failed before it could run (a missing artifact, a killed process).
 * Like {@link java.util.concurrent.ExecutionException}, {@link #getCause()} is the original exception with
 * its remote stack trace when its class loads here, otherwise a {@link RemoteException}; it is {@code null}
 * when the job failed outside the function (see {@link #reason()} and {@link #phase()}). A multi-host job fails
 * with the first failing host's exception, and {@link #host()} says which host that was.
 * <pre>{@code
 * catch (JobFailedException e) { log.error("host {} failed in {}: {}", e.host(), e.phase(), e.reason()); }
 * }</pre>
 */
public class JobFailedException extends KineticException {
    private static final long serialVersionUID = 1L;
    private final String phase;
    private final String reason;
    private final int host;
    private final boolean multiHost;

    public JobFailedException(String jobId, String phase, String reason, Throwable cause) {
        this(jobId, phase, reason, cause, 0, 1);
    }

    /**
     * A failure of host {@code host} of a job that runs on {@code hosts} hosts.
     *
     * @param host the index of the first host that failed (0 for a job of one host)
     * @param hosts how many hosts the job runs on
     */
    public JobFailedException(String jobId, String phase, String reason, Throwable cause, int host, int hosts) {
        super(
                jobId,
                "job " + jobId + " failed" + (hosts > 1 ? " on host " + host + " of " + hosts : "")
                        + (phase == null ? "" : " in phase " + phase) + ": " + reason
                        + ". Read its log with `kinetic jobs logs " + jobId
                        + (hosts > 1 ? " --host " + host : "") + "`.",
                cause);
        this.phase = phase;
        this.reason = reason;
        this.host = host;
        this.multiHost = hosts > 1;
    }

    /** The index of the host whose failure ended the job: the first to fail of a multi-host job, else 0. */
    public int host() {
        return host;
    }

    /** Whether the job ran on more than one host. */
    public boolean multiHost() {
        return multiHost;
    }

    /** Where it failed: download, verify, deserialize, execute, serialize-result, or agent. */
    public String phase() {
        return phase;
    }

    /** A one-line reason, e.g. {@code java.lang.IllegalStateException: bad lr} or {@code killed by signal 9}. */
    public String reason() {
        return reason;
    }

    /**
     * Stands in for a remote exception whose class does not load here or was refused by the deserialization
     * filter. It carries the remote type name, message and stack frames.
     */
    public static class RemoteException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String remoteType;

        public RemoteException(String remoteType, String message, List<StackTraceElement> frames) {
            super(remoteType + (message == null ? "" : ": " + message));
            this.remoteType = remoteType;
            setStackTrace(frames.toArray(new StackTraceElement[0]));
        }

        /** The fully qualified class name of the exception the function threw. */
        public String remoteType() {
            return remoteType;
        }
    }
}
