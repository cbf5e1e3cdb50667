package dev.kinetic.internal.batch.worker;

import dev.kinetic.JobStatus;
import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.BatchManifest;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;

/**
 * Records how an input's attempt ended, for the batch ({@code groups/<id>/ended/...}: one listing tells every worker
 * and reader which inputs are done), after its job's outcome was written; and stops the batch from taking new inputs
 * when it fails fast.
 */
final class Endings {
    private Endings() {}

    static void mark(BlobStore store, BatchManifest manifest, int index, int attempt, String jobId, JobStatus status) {
        store.putIfAbsent(
                BatchLayout.ended(manifest.id(), index, attempt, status), jobId.getBytes(StandardCharsets.UTF_8));
        if (status == JobStatus.FAILED
                && manifest.batchOptions().failFast()
                && attempt >= manifest.batchOptions().retries()) {
            store.putIfAbsent(
                    BatchLayout.stopped(manifest.id()),
                    ("input " + index + " failed (job " + jobId + ")").getBytes(StandardCharsets.UTF_8));
        }
    }
}
