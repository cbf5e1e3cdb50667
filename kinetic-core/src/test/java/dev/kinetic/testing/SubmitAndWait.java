package dev.kinetic.testing;

import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;

/**
 * A submitting JVM for tests that kill it: submits a job that sleeps, prints its id, then waits to be killed
 * (or interrupted with SIGINT). Settings come from the environment (KINETIC_HOME, KINETIC_STORE).
 */
public final class SubmitAndWait {
    private SubmitAndWait() {}

    public static void main(String[] args) throws Exception {
        long sleep = Long.parseLong(args[0]);
        KineticSession session = KineticSession.fromEnvironment();
        JobHandle<Integer> job = session.remote(() -> Jobs.sleepThen(sleep, 7))
                .displayName("survivor")
                .runAsync();
        System.out.println("JOB " + job.id());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
