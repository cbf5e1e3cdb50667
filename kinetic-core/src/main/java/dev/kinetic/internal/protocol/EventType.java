package dev.kinetic.internal.protocol;

import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;

/**
 * The kinds of {@link JobEvent}, shared by every writer (submitter, agent, cancel) and every reader (status,
 * listings). The wire name is the last part of the event's key ({@code events/<millis>-<wire name>}), so a listing
 * alone tells a job's progress. A name this version does not know is an error that says so, never a silent
 * mismatch.
 */
public enum EventType {
    /** The submitter stored the record and payload. */
    SUBMITTED("submitted"),
    /** The agent started the task process. */
    STARTED("started"),
    /** The agent recorded a successful outcome. */
    ENDED_SUCCEEDED("ended-succeeded"),
    /** The agent recorded a failure. */
    ENDED_FAILED("ended-failed"),
    /** The agent recorded a cancellation. */
    ENDED_CANCELLED("ended-cancelled"),
    /** Someone asked to cancel the job. */
    CANCEL_REQUESTED("cancel-requested"),
    /** A disruption (preemption, drain) stopped this attempt; with retries left the backend starts another. */
    ATTEMPT_TERMINATED("attempt-terminated");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in store keys and event documents. */
    public String wireName() {
        return wireName;
    }

    /** The end event for a final status. */
    public static EventType endedWith(JobStatus status) {
        switch (status) {
            case SUCCEEDED:
                return ENDED_SUCCEEDED;
            case FAILED:
                return ENDED_FAILED;
            case CANCELLED:
                return ENDED_CANCELLED;
            default:
                throw new IllegalArgumentException("no end event for status " + status);
        }
    }

    /** Whether this event ends the job. */
    public boolean isEnd() {
        return this == ENDED_SUCCEEDED || this == ENDED_FAILED || this == ENDED_CANCELLED;
    }

    /** The final status an end event records. */
    public JobStatus endStatus() {
        switch (this) {
            case ENDED_SUCCEEDED:
                return JobStatus.SUCCEEDED;
            case ENDED_FAILED:
                return JobStatus.FAILED;
            case ENDED_CANCELLED:
                return JobStatus.CANCELLED;
            default:
                throw new IllegalStateException(wireName + " is not an end event");
        }
    }

    /**
     * The type with this wire name.
     *
     * @throws KineticException naming the value when this version of Kinetic does not know it
     */
    public static EventType fromWire(String wireName) {
        for (EventType t : values()) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        throw new KineticException("unknown job event type '" + wireName + "' in the store; it was written by a "
                + "newer version of Kinetic (upgrade this one) or is damaged");
    }
}
