package dev.kinetic.testing;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.KineticSession;
import java.util.List;

/**
 * A submitting JVM that ends the way a CLI tool or a CI step does: {@code runAsyncMap} over 8 inputs (inputs 2 and 5
 * throw), print the batch id, then {@code System.exit(0)} at once, without waiting for anything.
 */
public final class BatchSubmitAndExit {
    private BatchSubmitAndExit() {}

    public static void main(String[] args) {
        KineticSession session = KineticSession.fromEnvironment();
        BatchHandle<Integer> batch = session.remote((Integer i) -> Jobs.tenTimesUnlessTwoOrFive(i))
                .runAsyncMap(
                        List.of(0, 1, 2, 3, 4, 5, 6, 7),
                        BatchOptions.builder().maxConcurrent(3).build());
        System.out.println("BATCH " + batch.id());
        System.out.flush();
        System.exit(0);
    }
}
