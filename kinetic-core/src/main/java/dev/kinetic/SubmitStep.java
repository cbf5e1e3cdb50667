package dev.kinetic;

/**
 * The steps of a submission, reported to {@link KineticSession#onSubmitStep}. After each, a crash of the
 * submitting JVM leaves a state that {@code status} explains: nothing under {@code jobs/} after
 * {@link #PACKAGED}; a record that reads FAILED ("never started") after {@link #RECORDED}; a running job after
 * {@link #STARTED}.
 */
public enum SubmitStep {
    /** The call is serialized and the classpath is in the store; nothing of the job itself is written yet. */
    PACKAGED,
    /** The record and payload are stored; the backend has not been asked yet. */
    RECORDED,
    /** The backend accepted the job. */
    STARTED
}
