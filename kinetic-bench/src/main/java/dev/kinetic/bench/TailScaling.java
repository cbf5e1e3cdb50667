package dev.kinetic.bench;

import dev.kinetic.internal.log.StoreLog;
import dev.kinetic.internal.log.StoreLogWriter;
import dev.kinetic.internal.store.DirectoryBlobStore;
import dev.kinetic.spi.JobId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code tail(100)} on a big stored log against a 1 MiB one: the cost must not grow with the log. */
final class TailScaling {
    private final Path dir;
    private final long bigBytes;

    TailScaling(Path dir, long bigBytes) {
        this.dir = dir;
        this.bigBytes = bigBytes;
    }

    List<Figure> measure() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir);
        write(store, "small", 1L << 20);
        write(store, "big", bigBytes);
        double small = time(store, "small");
        double big = time(store, "big");
        String bigName = bigBytes >= 1L << 30 ? (bigBytes >> 30) + "gib" : (bigBytes >> 20) + "mib";
        return List.of(
                new Figure("tail.scaling", big / small, "x", "<= 2x", "tail(100) on " + bigName + " vs 1 MiB log"),
                new Figure("tail.1mib.ms", small, "ms", null, "median tail(100) on a 1 MiB stored log"),
                new Figure(
                        "tail." + bigName + ".ms",
                        big,
                        "ms",
                        null,
                        "median tail(100) on a " + bigName + " stored log"));
    }

    private static void write(DirectoryBlobStore store, String id, long bytes) {
        JobId jobId = JobId.of(id);
        StoreLogWriter writer = new StoreLogWriter(store, jobId);
        byte[] line = "0123456789 step=000000 loss=0.123456 the quick brown fox jumps over the lazy dog\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[line.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        for (long written = 0; written < bytes; written += block.length) {
            writer.write(block, 0, block.length);
        }
        writer.flush();
    }

    private static double time(DirectoryBlobStore store, String id) {
        StoreLog log = new StoreLog(store, JobId.of(id));
        List<Double> times = new ArrayList<>();
        // Each call takes a few milliseconds, so a handful of samples is at the mercy of one hiccup: take 25.
        for (int i = 0; i < 25; i++) {
            long t0 = System.nanoTime();
            List<String> lines = log.tail(100);
            times.add((System.nanoTime() - t0) / 1e6);
            if (lines.size() != 100) {
                throw new IllegalStateException("tail returned " + lines.size() + " lines");
            }
        }
        return Stats.median(times.subList(5, times.size()));
    }
}
