package dev.kinetic.spi;

/**
 * How far a backend got in following a job's live output ({@link Backend#followLive}); the core reads the rest from
 * the store log, which holds the same lines from the start.
 *
 * @param complete whether every line up to the job's end was delivered
 * @param delivered how many lines were delivered
 */
public record LiveFollow(boolean complete, long delivered) {
    private static final LiveFollow NOT_LIVE = new LiveFollow(false, 0);
    private static final LiveFollow COMPLETE = new LiveFollow(true, 0);

    /** The backend has no live output for the job: the core follows the store log from the start. */
    public static LiveFollow notLive() {
        return NOT_LIVE;
    }

    /** Every line was delivered, through the job's end. */
    public static LiveFollow completed() {
        return COMPLETE;
    }

    /** The live output went away (the pod was deleted) after {@code delivered} lines; the core continues from there. */
    public static LiveFollow interrupted(long delivered) {
        return new LiveFollow(false, delivered);
    }
}
