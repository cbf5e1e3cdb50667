package dev.kinetic.internal.submit;

import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession.SubmitStep;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.observe.DefaultJobHandle;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.internal.protocol.CallPayload;
import dev.kinetic.internal.protocol.IdempotencyKeys;
import dev.kinetic.internal.protocol.SubmissionLease;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.DryRun;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Submission as a pipeline of named steps: {@link Packager package} (serialize the call, snapshot the classpath)
 * → {@link JobRecorder record} (create-only record, payload, first event) → {@link Launcher launch} (the backend
 * starts the agent). After each step a crash of this JVM leaves a state that status explains; the steps are reported
 * to the session's {@link SubmitStep} listener.
 */
public final class Submitter {
    /** How long a submission waits for a running collection ({@code kinetic gc}) before it gives up. */
    static final Duration GC_WAIT = Duration.ofMinutes(10);

    private final Engine engine;
    private final Packager packager;
    private final JobRecorder recorder;
    private final JobLookup lookup;
    private final IdempotencyKeys idempotency;

    public Submitter(Engine engine, JobLookup lookup) {
        this.engine = engine;
        this.packager = new Packager(engine);
        this.recorder = new JobRecorder(engine);
        this.lookup = lookup;
        this.idempotency = new IdempotencyKeys(engine.clock());
    }

    public Packager packager() {
        return packager;
    }

    /**
     * Packages the call, records the job and starts it; nothing is written if the call cannot be serialized or an
     * option is invalid.
     */
    public <T> DefaultJobHandle<T> submit(CallPayload call, JobOptions options, Class<T> resultType) {
        JobTemplate template = packager.prepare(call.function(), options);
        List<Path> classpath =
                options.classpath().isEmpty() ? ClasspathSnapshot.currentClasspath() : options.classpath();
        BlobStore store = engine.store(template.settings().store());
        // From the first upload until the record exists, the lease keeps a collection from deleting what we use.
        SubmissionLease lease = SubmissionLease.acquire(store, engine.clock(), GC_WAIT);
        try {
            byte[] payload;
            try {
                payload = packager.serialize(template, call);
                template = packager.withClasspath(template, classpath);
            } catch (StoreException e) {
                throw new KineticException(
                        null,
                        "could not upload the job's data or classpath: " + e.getMessage() + "; nothing was started. "
                                + JobRecorder.checkTheStore(template.settings().store()),
                        e);
            }
            return launch(template, payload, null, null, null, resultType);
        } finally {
            lease.release(engine.background());
        }
    }

    /**
     * What submitting the call would create on the backend ({@link DryRun}), with settings, image and accelerator
     * resolved as for a real submit; nothing is written to the store, built or created.
     *
     * @throws KineticException when the backend creates nothing it could show, or a real submit would be refused
     */
    public List<Map<String, Object>> dryRun(CallPayload call, JobOptions options) {
        JobTemplate template = packager.prepare(call.function(), options);
        List<Path> classpath =
                options.classpath().isEmpty() ? ClasspathSnapshot.currentClasspath() : options.classpath();
        Backend backend = engine.backend(template.settings().backend());
        if (!(backend instanceof DryRun dryRun)) {
            throw new KineticException("the " + template.settings().backend() + " backend creates no objects that a "
                    + "dry run could show; use --backend kubernetes (KINETIC_BACKEND=kubernetes) to see its Job");
        }
        DryRunStore store = new DryRunStore(template.settings().store());
        byte[] payload = packager.serialize(template, call, store);
        template = packager.withClasspath(template, classpath, store);
        JobRecord draft = recorder.unprepared(template, newId(template), payload, null, null, store)
                .build();
        return dryRun.dryRun(draft, AgentCommand.forRecord(draft));
    }

    /** A fresh job id for a job of this template. */
    public JobId newId(JobTemplate template) {
        return JobId.next(template.idPart(), template.function(), engine.clock().instant(), template.hosts());
    }

    /**
     * Records a packaged job (create-only) and starts it on the backend.
     *
     * @param id the job id, or null for a fresh one
     * @throws JobExistsException if a job with this id already exists
     */
    public <T> DefaultJobHandle<T> launch(
            JobTemplate template, byte[] payload, JobId id, String groupId, Integer groupIndex, Class<T> resultType) {
        Backend backend = engine.backend(template.settings().backend());
        BlobStore store = engine.store(template.settings().store());
        JobId jobId = id != null ? id : newId(template);
        String key = template.options().idempotencyKey();
        JobRecord draft = recorder.draft(template, jobId, payload, groupId, groupIndex, backend, store);
        JobRecord record =
                key == null ? draft : draft.toBuilder().idempotencyKey(key).build();
        engine.submitStep(SubmitStep.PACKAGED, jobId);
        if (key != null) {
            JobId holder = idempotency.claim(store, key, jobId);
            if (!holder.equals(jobId)) {
                try {
                    backend.delete(record); // what prepare() made for the id this submission no longer needs
                } catch (RuntimeException ignored) {
                    // nothing was started under this id; a leftover local state directory is harmless
                }
                return lookup.attach(holder, resultType);
            }
        }
        try {
            recorder.record(record, payload, backend, store);
        } catch (RuntimeException e) {
            if (key != null) {
                releaseQuietly(store, key, jobId, e);
            }
            throw e;
        }
        engine.submitStep(SubmitStep.RECORDED, jobId);
        try {
            Launcher.launch(record, backend, store, template.env());
        } catch (RuntimeException e) {
            if (key != null && !store.exists(JobLayout.record(jobId))) {
                releaseQuietly(store, key, jobId, e); // refused and removed: the key is free again
            }
            throw e;
        }
        engine.submitStep(SubmitStep.STARTED, jobId);
        return new DefaultJobHandle<>(engine, record, store, backend, resultType);
    }

    private static void releaseQuietly(BlobStore store, String key, JobId id, RuntimeException failure) {
        try {
            IdempotencyKeys.release(store, key, id);
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // the next submission with the key waits for the record, then takes it over
        }
    }
}
