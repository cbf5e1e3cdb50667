package dev.kinetic.bench;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.store.TransferListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A second submit of an unchanged, large classpath against the first: bytes uploaded and submit time (until
 * runAsync returns). The classpath is the bench jar plus generated jars of incompressible data.
 */
final class Resubmit {
    private final KineticSession session;
    private final Path dir;
    private final long totalBytes;

    Resubmit(KineticSession session, Path dir, long totalBytes) {
        this.session = session;
        this.dir = dir;
        this.totalBytes = totalBytes;
    }

    List<Figure> measure() throws IOException {
        List<Path> classpath = new ArrayList<>(ClasspathSnapshot.currentClasspath());
        classpath.addAll(makeJars());
        AtomicLong bytes = new AtomicLong();
        session.onTransfer(new TransferListener() {
            @Override
            public void finished(String key, long total) {
                bytes.addAndGet(total);
            }
        });
        try {
            long t0 = System.nanoTime();
            JobHandle<Integer> first = submit(classpath);
            double firstMs = (System.nanoTime() - t0) / 1e6;
            long firstBytes = bytes.getAndSet(0);
            first.result(Duration.ofMinutes(5), Cleanup.ALL);

            long t1 = System.nanoTime();
            JobHandle<Integer> second = submit(classpath);
            double secondMs = (System.nanoTime() - t1) / 1e6;
            long secondBytes = bytes.get();
            second.result(Duration.ofMinutes(5), Cleanup.ALL);
            String size = (totalBytes >> 20) + " MiB";
            return List.of(
                    new Figure(
                            "resubmit.bytes",
                            100.0 * secondBytes / firstBytes,
                            "%",
                            "<= 1 %",
                            "classpath bytes uploaded by a second submit of an unchanged " + size + " classpath: "
                                    + secondBytes + " vs " + firstBytes),
                    new Figure(
                            "resubmit.time",
                            100.0 * secondMs / firstMs,
                            "%",
                            "<= 10 %",
                            "submit time (to runAsync returning) second vs first: " + Math.round(secondMs) + " ms vs "
                                    + Math.round(firstMs) + " ms"));
        } finally {
            session.onTransfer(TransferListener.NONE);
        }
    }

    private JobHandle<Integer> submit(List<Path> classpath) {
        return session.remote(BenchFunctions::trivial)
                .with(o -> o.classpath(classpath))
                .runAsync();
    }

    /** Jars of stored random bytes (incompressible, so their size is what moves). */
    private List<Path> makeJars() throws IOException {
        Files.createDirectories(dir);
        int count = 20;
        long each = totalBytes / count;
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path jar = dir.resolve("dep-" + i + ".jar");
            try (OutputStream raw = Files.newOutputStream(jar);
                    ZipOutputStream zip = new ZipOutputStream(raw)) {
                for (long written = 0; written < each; written += chunk.length) {
                    random.nextBytes(chunk);
                    ZipEntry e = new ZipEntry("data/" + written + ".bin");
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(chunk.length);
                    CRC32 crc = new CRC32();
                    crc.update(chunk);
                    e.setCrc(crc.getValue());
                    zip.putNextEntry(e);
                    zip.write(chunk);
                    zip.closeEntry();
                }
            }
            jars.add(jar);
        }
        return jars;
    }
}
