package dev.kinetic.bench;

import dev.kinetic.JobInfo;
import dev.kinetic.KineticSession;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** {@code listJobs()} over many stored, finished jobs (records and end events written directly). */
final class ListJobs {
    private final KineticSession session;
    private final int count;

    ListJobs(KineticSession session, int count) {
        this.session = session;
        this.count = count;
    }

    Figure measure() {
        BlobStore store =
                BlobStores.open(session.settings().store(), session.settings().environment());
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        IntStream.range(0, count).parallel().forEach(i -> {
            JobId id = JobId.of(String.format("cpu-bench-20260101-000000-%07x", i));
            Instant created = base.plusSeconds(i);
            JobRecord r = JobRecord.builder()
                    .id(id)
                    .function("bench", "dev.kinetic.bench.ListJobs")
                    .backend("local")
                    .store(store.uri().toString())
                    .createdAt(created)
                    .submittedBy("bench@host")
                    .labels(Map.of("n", String.valueOf(i % 10)))
                    .payload(new JobRecord.Artifact("0".repeat(64), 1, "payload.bin"))
                    .outputPrefix(JobLayout.outputs(id))
                    .backendRef(Map.of("host", "elsewhere"))
                    .kineticVersion("0.1.0")
                    .build();
            store.put(JobLayout.record(id), r.toJson());
            JobEvent end = new JobEvent(EventType.ENDED_SUCCEEDED, created.plusSeconds(1), Map.of());
            store.put(end.key(id), end.toJson());
        });
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long t0 = System.nanoTime();
            List<JobInfo> jobs = session.listJobs();
            times.add((System.nanoTime() - t0) / 1e6);
            if (jobs.size() < count) {
                throw new IllegalStateException("listed " + jobs.size() + " of " + count + " jobs");
            }
        }
        String name = count == 10_000 ? "list.10k" : "list." + count;
        return new Figure(
                name,
                Stats.median(times.subList(1, times.size())),
                "ms",
                "<= 1000",
                "listJobs() over " + count + " stored jobs, median of 3 after one warm-up: " + times);
    }
}
