package dev.kinetic.internal.batch;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Counts a batch's inputs from a few listings (claims, endings, requeues, leases): an input whose attempt has an ending
 * needs no look at its job; only the attempts in flight are described (status from backend and store, as any job's).
 */
final class BatchProgress {
    private BatchProgress() {}

    static <R> BatchCounts count(
            BatchManifest manifest, BlobStore store, BatchChildren<R> children, WorkerPools pools) {
        String id = manifest.id();
        Map<Integer, Claims.Claim> latest = children.latestClaims();
        Map<String, JobStatus> ended = new HashMap<>();
        for (BlobInfo b : store.list(BatchLayout.endedPrefix(id))) {
            BatchLayout.Mark m = BatchLayout.mark(b.key());
            ended.put(m.index() + "/" + m.attempt(), m.status());
        }
        Set<String> requeued = new HashSet<>();
        for (BlobInfo b : store.list(BatchLayout.requeuePrefix(id))) {
            BatchLayout.Mark m = BatchLayout.mark(b.key());
            requeued.add(m.index() + "/" + m.attempt());
        }
        boolean halted = children.isCancelled() || store.exists(BatchLayout.stopped(id));
        int retries = manifest.batchOptions().retries();
        Map<JobStatus, Integer> by = new EnumMap<>(JobStatus.class);
        int notSubmitted = 0;
        int queued = 0;
        int running = 0;
        for (int i = 0; i < manifest.size(); i++) {
            Claims.Claim c = latest.get(i);
            JobStatus s = c == null ? null : ended.get(i + "/" + c.attempt());
            if (c != null && s == null) {
                Optional<JobHandle<R>> job = children.handle(c.jobId());
                s = job.isPresent() ? children.describe(job.get()).status() : null;
            }
            if (s == null) {
                notSubmitted++; // no job yet (or a claim whose job a worker is recording, or will adopt)
                queued += halted ? 0 : 1;
                continue;
            }
            by.merge(s, 1, Integer::sum);
            if (!s.isTerminal()) {
                running++;
            } else if (s == JobStatus.FAILED
                    && (requeued.contains(i + "/" + (c.attempt() + 1)) || (!halted && c.attempt() < retries))) {
                queued++; // runs again
            }
        }
        int alive = pools.current().isPresent() ? pools.workersAlive() : 0;
        int finished = manifest.size() - queued - running;
        return new BatchCounts(manifest.size(), notSubmitted, by, alive, queued, running, finished);
    }
}
