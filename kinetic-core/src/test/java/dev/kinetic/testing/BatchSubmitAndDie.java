package dev.kinetic.testing;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.KineticSession;
import dev.kinetic.KineticSession.SubmitStep;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A submitting JVM that SIGKILLs itself right after recording the third child of a batch, before starting it:
 * the batch then has a child that was recorded but never started.
 */
public final class BatchSubmitAndDie {
    private BatchSubmitAndDie() {}

    public static void main(String[] args) throws Exception {
        AtomicInteger recorded = new AtomicInteger();
        KineticSession session = KineticSession.fromEnvironment().onSubmitStep((step, id) -> {
            if (step == SubmitStep.RECORDED && recorded.incrementAndGet() == 3) {
                try {
                    new ProcessBuilder(
                                    "kill",
                                    "-9",
                                    String.valueOf(ProcessHandle.current().pid()))
                            .start()
                            .waitFor();
                    Thread.sleep(60_000);
                } catch (Exception e) {
                    Runtime.getRuntime().halt(137);
                }
            }
        });
        BatchHandle<Integer> batch = session.remote((Integer i) -> i + 100)
                .runAsyncMap(
                        List.of(0, 1, 2, 3, 4),
                        BatchOptions.builder().maxConcurrent(5).build());
        System.out.println("BATCH " + batch.id());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
