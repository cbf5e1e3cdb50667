package dev.kinetic;

import java.util.Optional;

/**
 * The root of Kinetic's exceptions, all unchecked. The message says what was wrong and what to do, and names
 * the job when there is one.
 */
public class KineticException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String jobId;

    public KineticException(String message) {
        this(null, message, null);
    }

    public KineticException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public KineticException(String jobId, String message, Throwable cause) {
        super(message, cause);
        this.jobId = jobId;
    }

    /** The job this is about, when it is about one. */
    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }
}
