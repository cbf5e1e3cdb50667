package dev.kinetic.bench;

import dev.kinetic.JobInfo;
import dev.kinetic.KineticSession;
import dev.kinetic.job.JobEvent;
import dev.kinetic.job.JobLayout;
import dev.kinetic.job.JobRecord;
import dev.kinetic.store.BlobStore;
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
        BlobStore store = session.service().defaultStore();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        IntStream.range(0, count).parallel().forEach(i -> {
            String id = String.format("cpu-bench-20260101-000000-%07x", i);
            Instant created = base.plusSeconds(i);
            JobRecord r = new JobRecord(JobRecord.SCHEMA, id, "bench", "dev.kinetic.bench.ListJobs", "cpu", "local",
                    store.uri().toString(), created, "bench@host", Map.of("n", String.valueOf(i % 10)), List.of(),
                    new JobRecord.Artifact("0".repeat(64), 1, "payload.bin"), List.of(), List.of(),
                    JobLayout.outputs(id), 0, null, null, Map.of(), Map.of("host", "elsewhere"), "0.1.0");
            store.put(JobLayout.record(id), r.toJson());
            String type = JobEvent.ENDED + "-succeeded";
            store.put(JobLayout.event(id, created.toEpochMilli() + 1000, type),
                    new JobEvent(type, created.plusSeconds(1), Map.of()).toJson());
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
        return new Figure(name, Stats.median(times.subList(1, times.size())), "ms", "<= 1000",
                "listJobs() over " + count + " stored jobs, median of 3 after one warm-up: " + times);
    }
}
