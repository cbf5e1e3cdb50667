package dev.kinetic.cli;

/**
 * The exit codes of every {@code kinetic} command. Scripts depend on them: never renumber one.
 */
public final class ExitCodes {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The job failed (jobs result, submit without --detach), or the command could not do its work. */
    public static final int FAILED = 1;
    /** The command line was wrong: unknown option, bad value, missing argument, conflicting options. */
    public static final int USAGE = 2;
    /** No job (or batch) with the given id in the configured store. */
    public static final int NOT_FOUND = 3;
    /** The job was cancelled, so it has no result. */
    public static final int CANCELLED = 4;
    /** The wait ran out with the job still running (as timeout(1) does). */
    public static final int TIMED_OUT = 124;

    private ExitCodes() {}
}
