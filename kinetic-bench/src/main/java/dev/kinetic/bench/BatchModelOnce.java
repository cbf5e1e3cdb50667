package dev.kinetic.bench;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.Cleanup;
import dev.kinetic.KineticSession;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * "Load a model once, map it over the inputs": a function whose first call in a JVM takes 2 s and every call 10 ms,
 * over 200 inputs with 2 workers, against the ideal of 200 x 10 ms / 2 + 2 s (each worker loads the model once).
 */
final class BatchModelOnce {
    private static final long LOAD_MS = 2000;
    private static final long CALL_MS = 10;

    private final KineticSession session;
    private final int count;

    BatchModelOnce(KineticSession session, int count) {
        this.session = session;
        this.count = count;
    }

    List<Figure> measure() {
        long t0 = System.nanoTime();
        BatchHandle<Integer> batch = session.remote((Integer i) -> BenchFunctions.modelOnce(i))
                .runAsyncMap(
                        IntStream.range(0, count).boxed().toList(),
                        BatchOptions.builder().maxConcurrent(2).build());
        List<Integer> results = batch.results(Duration.ofHours(1));
        double wallMs = (System.nanoTime() - t0) / 1e6;
        if (!results.equals(IntStream.range(0, count).boxed().toList())) {
            throw new IllegalStateException("batch returned other values than its inputs");
        }
        batch.cleanup(Cleanup.ALL);
        double ideal = count * CALL_MS / 2.0 + LOAD_MS;
        return List.of(new Figure(
                "batch.model-once",
                wallMs,
                "ms",
                "ideal " + Math.round(ideal) + " ms",
                count + " inputs, 2 workers, 2 s model load on a JVM's first call then 10 ms per input: "
                        + Math.round(wallMs) + " ms against " + count + " x 10 ms / 2 + 2 s = " + Math.round(ideal)
                        + " ms (" + String.format(Locale.ROOT, "%.2f", wallMs / ideal) + "x)"));
    }
}
