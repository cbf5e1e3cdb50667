package dev.kinetic;

/** Passed to {@link BatchHandle#results(java.time.Duration, ReturnExceptions)}: put each failure in its input's slot. */
public enum ReturnExceptions {
    IN_PLACE
}
