package dev.kinetic.testing;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.KineticSession;
import java.util.List;
import java.util.stream.IntStream;

/** A submitting JVM for the batch durability test: starts a batch, prints its id, and waits to be killed. */
public final class BatchSubmitter {
    private BatchSubmitter() {}

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        long sleep = Long.parseLong(args[2]);
        KineticSession session = KineticSession.fromEnvironment();
        List<Integer> inputs = IntStream.range(0, size).boxed().toList();
        BatchHandle<Integer> batch = session.remote((Integer i) -> Jobs.sleepThen(sleep, i * 10))
                .runAsyncMap(
                        inputs,
                        BatchOptions.builder().maxConcurrent(concurrency).build());
        System.out.println("BATCH " + batch.id());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
