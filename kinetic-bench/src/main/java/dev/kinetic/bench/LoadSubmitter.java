package dev.kinetic.bench;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the submitting JVMs of {@link LoadRun}: submits {@code args[1]} jobs squaring {@code args[2]},
 * {@code args[2]}+1, ..., then collects their results and prints {@code RIGHT <n> WRONG <m>}. {@code args[0]} is the
 * Kinetic home, only so that process listings can tell this JVM belongs to the run.
 */
public final class LoadSubmitter {
    private LoadSubmitter() {}

    public static void main(String[] args) {
        int count = Integer.parseInt(args[1]);
        int first = Integer.parseInt(args[2]);
        int right = 0;
        int wrong = 0;
        try (KineticSession session = KineticSession.fromEnvironment()) {
            List<JobHandle<Long>> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                jobs.add(session.remote((Integer x) -> BenchFunctions.square(x))
                        .displayName("load")
                        .runAsync(first + i));
            }
            for (int i = 0; i < count; i++) {
                long expected = (long) (first + i) * (first + i);
                try {
                    if (jobs.get(i).result(Duration.ofMinutes(30), Cleanup.ALL) == expected) {
                        right++;
                    } else {
                        wrong++;
                    }
                } catch (RuntimeException e) {
                    System.err.println(jobs.get(i).id() + ": " + e);
                    wrong++;
                }
            }
        }
        System.out.println("RIGHT " + right + " WRONG " + wrong);
    }
}
