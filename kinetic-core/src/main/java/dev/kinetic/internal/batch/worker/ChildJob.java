package dev.kinetic.internal.batch.worker;

import dev.kinetic.internal.agent.ProcessIdentity;
import dev.kinetic.internal.batch.BatchManifest;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An input's job as a worker records it: the record a single job of the batch would have (the pool's template, with
 * the input's id, payload, index and data), backend coordinates that point the backend at this worker, and on the
 * local backend the live files that say how the input is doing while it runs ({@link WorkerPool#LIVE_DIR_REF}).
 */
final class ChildJob {
    private ChildJob() {}

    static JobRecord record(
            WorkerPool pool, BatchManifest manifest, JobId id, int index, byte[] payload, String workerId) {
        String outputs =
                manifest.options().outputDir() != null ? manifest.options().outputDir() : JobLayout.outputs(id);
        return pool.template().toBuilder()
                .id(id)
                .createdAt(Instant.now())
                .payload(new JobRecord.Artifact(Hashing.sha256(payload), payload.length, "payload.bin"))
                .outputPrefix(outputs)
                .group(manifest.id(), index)
                .dataTrees(dataTrees(payload))
                .backendRef(ref(pool, id, workerId))
                .build();
    }

    /** The data trees the payload reads; none for a payload that is missing or damaged (its run fails, saying so). */
    private static java.util.List<String> dataTrees(byte[] payload) {
        try {
            return PayloadFile.dataTrees(payload);
        } catch (IllegalArgumentException damaged) {
            return java.util.List.of();
        }
    }

    /** The pool's coordinates for an input's job, placeholders filled in, and the worker that runs it. */
    static Map<String, String> ref(WorkerPool pool, JobId id, String workerId) {
        Map<String, String> ref = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : pool.childRef().entrySet()) {
            ref.put(
                    e.getKey(),
                    e.getValue()
                            .replace(WorkerPool.JOB_PLACEHOLDER, id.value())
                            .replace(WorkerPool.WORKER_PLACEHOLDER, workerId));
        }
        ref.put(WorkerPool.WORKER_REF, workerId);
        return ref;
    }

    /** The input's live directory, made and marked as run by this process; null when the backend watches none. */
    static Path startLive(JobRecord record) throws IOException {
        String dir = record.backendRef().get(WorkerPool.LIVE_DIR_REF);
        if (dir == null) {
            return null;
        }
        Path live = Files.createDirectories(Path.of(dir));
        Path tmp = live.resolve(WorkerPool.LIVE_WORKER + ".tmp");
        Files.writeString(tmp, ProcessIdentity.of(ProcessHandle.current().pid()).text());
        Files.move(tmp, live.resolve(WorkerPool.LIVE_WORKER), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return live;
    }

    /** Marks the input's live directory as ended (its outcome is written). */
    static void endLive(Path live) {
        if (live == null) {
            return;
        }
        try {
            Files.writeString(
                    live.resolve(WorkerPool.LIVE_EXITED), Instant.now().toString());
        } catch (IOException e) {
            System.err.println("kinetic worker: could not mark " + live + " as ended: " + e);
        }
    }
}
