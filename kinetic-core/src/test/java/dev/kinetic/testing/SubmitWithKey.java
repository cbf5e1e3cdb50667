package dev.kinetic.testing;

import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A submitting JVM for the idempotency race: waits for a start file (so two JVMs submit at the same moment), submits a
 * job with the idempotency key it is given, and prints {@code JOB <id>}. Settings come from the environment.
 */
public final class SubmitWithKey {
    private SubmitWithKey() {}

    public static void main(String[] args) throws Exception {
        String key = args[0];
        Path start = Path.of(args[1]);
        try (KineticSession session = KineticSession.fromEnvironment()) {
            while (!Files.exists(start)) {
                Thread.sleep(1);
            }
            JobHandle<Integer> job = session.remote(() -> Jobs.sleepThen(2_000, 7))
                    .idempotencyKey(key)
                    .runAsync();
            System.out.println("JOB " + job.id());
            System.out.flush();
        }
    }
}
