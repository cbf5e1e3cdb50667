package dev.kinetic.bench;

/** The functions benchmarked, shared by the job and the bare baseline so both run the same code. */
public final class BenchFunctions {
    private BenchFunctions() {}

    public static int trivial() {
        return 42;
    }

    /** A trivial function of one argument, whose result the load run checks. */
    public static long square(int x) {
        return (long) x * x;
    }

    /** Returns the wall-clock time at which the function ended, to measure how soon the caller sees it. */
    public static long endTime() {
        return System.currentTimeMillis();
    }
}
