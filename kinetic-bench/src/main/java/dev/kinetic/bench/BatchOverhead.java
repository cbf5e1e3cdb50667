package dev.kinetic.bench;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.Cleanup;
import dev.kinetic.KineticSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/** N trivial jobs as a batch, 2 at a time, against N bare JVM launches of the same function, 2 at a time. */
final class BatchOverhead {
    private final KineticSession session;
    private final int count;

    BatchOverhead(KineticSession session, int count) {
        this.session = session;
        this.count = count;
    }

    List<Figure> measure() throws Exception {
        long t0 = System.nanoTime();
        BatchHandle<Integer> batch = session.remote((Integer i) -> BenchFunctions.trivial())
                .runAsyncMap(
                        IntStream.range(0, count).boxed().toList(),
                        BatchOptions.builder().maxConcurrent(2).build());
        List<Integer> results = batch.results(Duration.ofHours(1));
        double batchMs = (System.nanoTime() - t0) / 1e6;
        if (results.size() != count) {
            throw new IllegalStateException("batch returned " + results.size() + " results");
        }
        batch.cleanup(Cleanup.ALL);

        long t1 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                runs.add(pool.submit(() -> {
                    String java = Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString();
                    Process p = new ProcessBuilder(
                                    java, "-cp", System.getProperty("java.class.path"), BareRun.class.getName())
                            .redirectErrorStream(true)
                            .start();
                    p.getInputStream().readAllBytes();
                    return p.waitFor();
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double bareMs = (System.nanoTime() - t1) / 1e6;
        return List.of(new Figure(
                "batch.overhead",
                batchMs / bareMs,
                "x",
                "<= 1.05x",
                count + " trivial jobs 2 at a time: " + Math.round(batchMs) + " ms vs " + count
                        + " bare launches 2 at a time: " + Math.round(bareMs) + " ms"));
    }
}
