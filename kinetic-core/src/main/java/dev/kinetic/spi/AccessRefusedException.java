package dev.kinetic.spi;

import dev.kinetic.KineticException;

/**
 * A backend refused Kinetic's request for a reason of set-up, not of the job: its credentials were rejected (401),
 * the request was forbidden (403), or what it needs does not exist (404, e.g. the namespace). The {@code kinetic}
 * command answers these with a run of its checks ({@code kinetic doctor}).
 */
public class AccessRefusedException extends KineticException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status of the refusal: 401, 403 or 404
     */
    public AccessRefusedException(String jobId, int status, String message, Throwable cause) {
        super(jobId, message, cause);
        this.status = status;
    }

    /** The HTTP status of the refusal: 401, 403 or 404. */
    public int status() {
        return status;
    }
}
