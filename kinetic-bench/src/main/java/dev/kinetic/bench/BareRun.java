package dev.kinetic.bench;

/** The baseline: a plain JVM on the same classpath running the same function. */
public final class BareRun {
    private BareRun() {}

    public static void main(String[] args) {
        System.out.println(BenchFunctions.trivial());
    }
}
