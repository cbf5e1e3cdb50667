package dev.kinetic.bench;

import dev.kinetic.internal.log.StoreLog;
import dev.kinetic.internal.log.StoreLogWriter;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tail(100)} on a big stored log against a 1 MiB one: the cost must not grow with the log. Both logs are
 * written as a finished job leaves them (closed segments), and tail finds the end without listing them.
 */
final class TailScaling {
    private final String name;
    private final BlobStore store;
    private final long bigBytes;

    /**
     * @param name the figure's name, e.g. {@code tail} or {@code tail.s3}
     */
    TailScaling(String name, BlobStore store, long bigBytes) {
        this.name = name;
        this.store = store;
        this.bigBytes = bigBytes;
    }

    List<Figure> measure() {
        write("small", 1L << 20);
        write("big", bigBytes);
        StoreLog smallLog = new StoreLog(store, JobId.of("small"));
        StoreLog bigLog = new StoreLog(store, JobId.of("big"));
        // Interleaved, after warm-ups of both, so neither log is measured on a colder JVM than the other.
        List<Double> smallTimes = new ArrayList<>();
        List<Double> bigTimes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            smallTimes.add(time(smallLog));
            bigTimes.add(time(bigLog));
        }
        double small = Stats.median(smallTimes.subList(5, smallTimes.size()));
        double big = Stats.median(bigTimes.subList(5, bigTimes.size()));
        String bigName = bigBytes >= 1L << 30 ? (bigBytes >> 30) + "gib" : (bigBytes >> 20) + "mib";
        return List.of(
                new Figure(
                        name + ".scaling",
                        big / small,
                        "x",
                        "<= 2x",
                        "tail(100) on " + bigName + " vs 1 MiB log, "
                                + store.uri().getScheme() + " store"),
                new Figure(name + ".1mib.ms", small, "ms", null, "median tail(100) on a 1 MiB stored log"),
                new Figure(
                        name + "." + bigName + ".ms",
                        big,
                        "ms",
                        null,
                        "median tail(100) on a " + bigName + " stored log"));
    }

    private void write(String id, long bytes) {
        StoreLogWriter writer = new StoreLogWriter(store, JobId.of(id));
        byte[] line = "0123456789 step=000000 loss=0.123456 the quick brown fox jumps over the lazy dog\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[line.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        for (long written = 0; written < bytes; written += block.length) {
            writer.write(block, 0, block.length);
        }
        writer.close();
    }

    private static double time(StoreLog log) {
        long t0 = System.nanoTime();
        List<String> lines = log.tail(100);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (lines.size() != 100) {
            throw new IllegalStateException("tail returned " + lines.size() + " lines");
        }
        return ms;
    }
}
