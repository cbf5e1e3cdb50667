package dev.kinetic.bench;

import dev.kinetic.KineticSession;
import dev.kinetic.KineticSession.GcOptions;
import dev.kinetic.KineticSession.GcReport;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.config.SettingsResolver;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code kinetic gc} over a big store: {@code jobs} finished jobs, half of them past the limit, and {@code objects}
 * classpath objects in {@code cas/}, each job referencing five; the kept half keeps its objects.
 */
final class GcScale {
    private final Path root;
    private final int jobs;
    private final int objects;

    GcScale(Path root, int jobs, int objects) {
        this.root = root;
        this.jobs = jobs;
        this.objects = objects;
    }

    Figure measure() throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KINETIC_HOME", root.resolve("home").toString());
        env.put("KINETIC_STORE", root.resolve("home/store").toUri().toString());
        env.remove("KINETIC_PROFILE");
        env.remove("KINETIC_BACKEND");
        try (KineticSession session = KineticSession.open(new SettingsResolver(env).resolve(Map.of()));
                BlobStore store = BlobStores.open(session.settings().store(), env)) {
            fill(store);
            long t0 = System.nanoTime();
            GcReport report = session.gc(
                    GcOptions.builder().olderThan(Duration.ofDays(30)).build());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (report.jobs().size() != jobs / 2 || !report.casSwept()) {
                throw new IllegalStateException("gc collected " + report.jobs().size() + " jobs, swept "
                        + report.casSwept() + " (" + report.note() + ")");
            }
            return new Figure(
                    "gc.seconds",
                    seconds,
                    "s",
                    null,
                    "kinetic gc over " + jobs + " jobs (" + jobs / 2
                            + " collected) and " + objects + " cas/ objects (" + report.casObjects()
                            + " collected), directory"
                            + " store");
        }
    }

    private void fill(BlobStore store) throws IOException {
        Instant now = Instant.now();
        IntStream.range(0, objects).parallel().forEach(i -> store.put("cas/" + sha(i), new byte[] {(byte) i}));
        IntStream.range(0, jobs).parallel().forEach(i -> {
            boolean old = i % 2 == 0;
            Instant created = now.minus(Duration.ofDays(old ? 60 : 1)).plusSeconds(i);
            JobId id = JobId.of(String.format("cpu-gc-20260101-000000-%07x", i));
            List<JobRecord.Artifact> classpath = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                classpath.add(new JobRecord.Artifact(sha((i * 5 + k) % objects), 1, "dep.jar"));
            }
            JobRecord r = JobRecord.builder()
                    .id(id)
                    .function("bench", "dev.kinetic.bench.GcScale")
                    .backend("local")
                    .store(store.uri().toString())
                    .createdAt(created)
                    .submittedBy("bench@host")
                    .payload(new JobRecord.Artifact("0".repeat(64), 1, "payload.bin"))
                    .classpath(classpath)
                    .outputPrefix(JobLayout.outputs(id))
                    .backendRef(Map.of("host", "elsewhere"))
                    .kineticVersion("0.1.0")
                    .dataTrees(List.of())
                    .build();
            store.put(JobLayout.record(id), r.toJson());
            JobEvent end = new JobEvent(EventType.ENDED_SUCCEEDED, created.plusSeconds(1), Map.of());
            store.put(end.key(id), end.toJson());
        });
        FileTime aged = FileTime.from(now.minus(Duration.ofHours(2))); // past the sweep's grace period
        try (var files = Files.walk(root.resolve("home/store/cas"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, aged);
            }
        }
    }

    private static String sha(int i) {
        return String.format("%064x", i);
    }
}
