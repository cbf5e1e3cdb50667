package dev.kinetic.bench;

/** The functions benchmarked, shared by the job and the bare baseline so both run the same code. */
public final class BenchFunctions {
    private BenchFunctions() {}

    public static int trivial() {
        return 42;
    }

    /** Whether this JVM has "loaded the model" yet: static state, as a real model held in a static field. */
    private static boolean modelLoaded;

    /**
     * A function that loads a model on its first call in a JVM (2 s) and then takes 10 ms per input, as inference
     * does: what {@code batch.model-once} maps over its inputs.
     */
    public static synchronized int modelOnce(int input) throws InterruptedException {
        if (!modelLoaded) {
            Thread.sleep(2000);
            modelLoaded = true;
        }
        Thread.sleep(10);
        return input;
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
