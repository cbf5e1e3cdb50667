package dev.kinetic.internal.submit;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.AgentInfo;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobStore;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The second step of a submission: writes the job's record (create-only) and payload, and its first event, before
 * the backend is asked for anything. Whatever a crash leaves behind from here on is listed, explained and removable;
 * a failure while recording removes the record again, so no half-submitted job lists.
 */
public final class JobRecorder {
    static final String VERSION = "0.1.0";

    private final Engine engine;

    public JobRecorder(Engine engine) {
        this.engine = engine;
    }

    /**
     * The record of job {@code id}, with the backend's coordinates for it. The backend may refuse options it cannot
     * honour here, before anything is written.
     */
    public JobRecord draft(
            JobTemplate t,
            JobId id,
            byte[] payload,
            String groupId,
            Integer groupIndex,
            Backend backend,
            BlobStore store) {
        JobRecord.Builder draft = unprepared(t, id, payload, groupId, groupIndex, store);
        Map<String, String> ref = backend.prepare(draft.build());
        return draft.backendRef(ref).build();
    }

    /** The record of job {@code id} before the backend has seen it (what a dry run shows the backend). */
    JobRecord.Builder unprepared(
            JobTemplate t, JobId id, byte[] payload, String groupId, Integer groupIndex, BlobStore store) {
        return JobRecord.builder()
                .id(id)
                .function(t.function(), t.definingClass())
                .accelerator(t.options().accelerator())
                .backend(t.settings().backend())
                .store(store.uri().toString())
                .createdAt(engine.clock().instant())
                .submittedBy(System.getProperty("user.name") + "@" + AgentInfo.hostName())
                .labels(t.options().labels())
                .envNames(t.envNames())
                .payload(new JobRecord.Artifact(Hashing.sha256(payload), payload.length, "payload.bin"))
                .classpath(t.classpath())
                .jvmArgs(t.options().jvmArgs())
                .outputPrefix(t.options().outputDir() != null ? t.options().outputDir() : JobLayout.outputs(id))
                .retries(t.options().retries())
                .group(groupId, groupIndex)
                .backendSettings(new TreeMap<>(t.options().backendSettings()))
                .hosts(t.hosts())
                .timeout(t.options().timeout())
                .kineticVersion(VERSION)
                .dataTrees(PayloadFile.dataTrees(payload));
    }

    /**
     * Writes the record (create-only), the payload and the {@code submitted} event.
     *
     * @throws JobExistsException if a job with this id already exists
     * @throws KineticException if the store failed after the record was written; the record is removed (now, or
     *     in the background as soon as the store answers)
     */
    public void record(JobRecord record, byte[] payload, Backend backend, BlobStore store) {
        JobId id = record.id();
        if (!store.putIfAbsent(JobLayout.record(id), record.toJson())) {
            throw new JobExistsException(id, store.uri().toString());
        }
        try {
            store.put(JobLayout.payload(id), payload);
            JobEvent submitted =
                    new JobEvent(EventType.SUBMITTED, engine.clock().instant(), Map.of());
            store.put(submitted.key(id), submitted.toJson());
        } catch (RuntimeException e) {
            try {
                backend.delete(record); // what prepare() made, such as the local state directory
            } catch (RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw unrecorded(store, id, e);
        }
    }

    /** Says how to recover from a store failure while submitting. */
    static String checkTheStore(URI store) {
        return "Check that the store " + store + " is reachable (endpoint, network, credentials) and submit again.";
    }

    /**
     * The payload or the first event could not be stored after the record was: removes the record so no
     * half-submitted job lists, or says how to remove it if the store cannot be reached now either.
     */
    private KineticException unrecorded(BlobStore store, JobId id, RuntimeException cause) {
        String left;
        try {
            store.deletePrefix(JobLayout.jobPrefix(id));
            left = "nothing was started and nothing of it is left in the store";
        } catch (RuntimeException cleanupFailed) {
            cause.addSuppressed(cleanupFailed);
            removeWhenReachable(store, id);
            left = "nothing was started; its record could not be removed yet and is removed as soon as the store "
                    + "answers while this JVM runs (until then, or if this JVM exits first, it lists as FAILED, never "
                    + "started: remove it with `kinetic jobs cleanup " + id + "`)";
        }
        return new KineticException(
                id.value(),
                "could not store the payload of job " + id + ": " + cause.getMessage() + "; " + left + ". "
                        + checkTheStore(store.uri()),
                cause);
    }

    /** Keeps trying, in the background for a few minutes, to remove a failed submission's leftovers. */
    private void removeWhenReachable(BlobStore store, JobId id) {
        engine.background().execute(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            long pause = 500;
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(pause);
                    store.deletePrefix(JobLayout.jobPrefix(id));
                    return;
                } catch (InterruptedException e) {
                    return; // the session is closing
                } catch (RuntimeException stillUnreachable) {
                    pause = Math.min(pause * 2, 10_000);
                }
            }
        });
    }
}
