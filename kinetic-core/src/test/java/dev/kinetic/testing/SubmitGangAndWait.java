package dev.kinetic.testing;

import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;

/**
 * A submitting JVM for the test that kills it: submits the 4-host sum job, prints its id, then waits to be killed.
 * Settings come from the environment (KINETIC_HOME, KINETIC_STORE).
 */
public final class SubmitGangAndWait {
    private SubmitGangAndWait() {}

    public static void main(String[] args) throws Exception {
        KineticSession session = KineticSession.fromEnvironment();
        JobHandle<Integer> job = session.remote(GangJobs::sumOfIndices)
                .displayName("gang-survivor")
                .hosts(4)
                .runAsync();
        System.out.println("JOB " + job.id());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
