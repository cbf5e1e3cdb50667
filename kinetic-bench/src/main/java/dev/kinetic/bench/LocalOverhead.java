package dev.kinetic.bench;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A trivial job's submit→result wall time on the local backend against a bare {@code java -cp <same classpath>}
 * running the same function. Runs alternate so both see the same machine load.
 */
final class LocalOverhead {
    private final KineticSession session;
    private final int runs;
    private final String name;
    private final String target;

    LocalOverhead(KineticSession session, int runs) {
        this(session, runs, "local", "<= 1.5x");
    }

    /** @param name the figures' prefix; {@code target} null for a figure shown for comparison only */
    LocalOverhead(KineticSession session, int runs, String name, String target) {
        this.session = session;
        this.runs = runs;
        this.name = name;
        this.target = target;
    }

    List<Figure> measure() throws Exception {
        bare();
        job(); // warm-up: the first job uploads the classpath
        List<Double> jobs = new ArrayList<>();
        List<Double> bares = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            jobs.add(job());
            bares.add(bare());
        }
        double job = Stats.median(jobs);
        double bare = Stats.median(bares);
        return List.of(
                new Figure(
                        name + ".overhead",
                        job / bare,
                        "x",
                        target,
                        "median submit->result " + fmt(job) + " ms vs bare java -cp " + fmt(bare) + " ms over " + runs
                                + " runs"),
                new Figure(name + ".job.ms", job, "ms", null, "median submit->result of a trivial job: " + jobs),
                new Figure(name + ".bare.ms", bare, "ms", null, "median bare JVM run of the same function: " + bares));
    }

    private double job() {
        long t0 = System.nanoTime();
        JobHandle<Integer> job = session.remote(BenchFunctions::trivial).runAsync();
        int value = job.result(Duration.ofMinutes(2), Cleanup.ALL);
        if (value != 42) {
            throw new IllegalStateException("trivial job returned " + value);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double bare() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BareRun.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.equals("42")) {
            throw new IllegalStateException("bare run failed: " + out);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.0f", d);
    }
}
