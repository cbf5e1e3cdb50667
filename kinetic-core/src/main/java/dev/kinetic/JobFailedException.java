package dev.kinetic;

import java.util.List;

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
        super(
                jobId,
                "job " + jobId + " failed" + (phase == null ? "" : " in phase " + phase) + ": " + reason
                        + ". Read its log with `kinetic jobs logs " + jobId + "`.",
                cause);
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
