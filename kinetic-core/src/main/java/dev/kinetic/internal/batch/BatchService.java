package dev.kinetic.internal.batch;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.RemoteFunction;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.internal.protocol.CallPayload;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.internal.protocol.SubmissionLease;
import dev.kinetic.internal.submit.JobTemplate;
import dev.kinetic.internal.submit.Submitter;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.store.BlobStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Creates and attaches batches. */
public final class BatchService {
    /** How long a batch waits for a running collection ({@code kinetic gc}) before it gives up. */
    private static final Duration GC_WAIT = Duration.ofMinutes(10);

    private final Engine engine;
    private final Submitter submitter;
    private final JobLookup lookup;
    private final SecureRandom random = new SecureRandom();

    public BatchService(Engine engine, Submitter submitter, JobLookup lookup) {
        this.engine = engine;
        this.submitter = submitter;
        this.lookup = lookup;
    }

    /**
     * Serializes every input (refusing the batch before anything is written if one cannot be), stores the
     * manifest and inputs, and starts the batch's workers (on a backend without workers: submits in the background).
     */
    public <A, R> BatchHandle<R> start(
            RemoteFunction<A, R> function, Collection<A> inputs, JobOptions options, BatchOptions batchOptions) {
        if (options.idempotencyKey() != null) {
            throw new KineticException("idempotencyKey '" + options.idempotencyKey() + "' applies to runAsync, not to "
                    + "runAsyncMap: a batch is one id with many jobs; keep its id and reattach with "
                    + "Kinetic.attachBatch(id) instead of submitting it again");
        }
        if (options.timeout() != null) {
            // Refused rather than ignored: a batch's inputs run one after another on workers that share a task JVM,
            // and nothing yet stops one input at its limit without stopping the others.
            throw new KineticException(
                    "timeout " + options.timeout() + " applies to runAsync, not to runAsyncMap: a "
                            + "batch's inputs run on shared workers, which do not limit each input's time yet; drop timeout(...) "
                            + "and stop a batch that runs too long with BatchHandle.cancel(), or submit the inputs with runAsync");
        }
        if (inputs.isEmpty()) {
            throw new KineticException("runAsyncMap needs at least one input; got an empty collection");
        }
        Map<String, String> labels = new LinkedHashMap<>(options.labels());
        labels.putAll(batchOptions.labels());
        JobOptions childOptions = options.toBuilder()
                .labels(labels)
                .retries(0)
                .idempotencyKey(null)
                .build();
        JobTemplate prepared = submitter.packager().prepare(function, childOptions);
        BlobStore store = engine.store(prepared.settings().store());
        BatchManifest manifest;
        // From the first upload until the manifest exists, the lease keeps a collection from deleting what we use.
        SubmissionLease lease = SubmissionLease.acquire(store, engine.clock(), GC_WAIT);
        try {
            List<byte[]> payloads = serializeInputs(function, inputs, prepared);
            prepared = submitter.packager().withClasspath(prepared, ClasspathSnapshot.currentClasspath());
            manifest = store(store, prepared, batchOptions, payloads);
        } finally {
            lease.release(engine.background());
        }
        DefaultBatchHandle<R> handle = new DefaultBatchHandle<>(engine, submitter, lookup, store, manifest);
        // Durable at return: the workers run detached from this JVM before runAsyncMap returns.
        handle.start();
        return handle;
    }

    /** Every input serialized (its data uploaded), refusing the batch if one cannot be. */
    private <A, R> List<byte[]> serializeInputs(RemoteFunction<A, R> function, Collection<A> inputs, JobTemplate t) {
        List<byte[]> payloads = new ArrayList<>();
        int index = 0;
        for (A input : inputs) {
            try {
                payloads.add(submitter.packager().serialize(t, CallPayload.of(function, input)));
            } catch (IllegalArgumentException | KineticException e) {
                throw new KineticException("input " + index + " of the batch cannot be shipped: " + e.getMessage(), e);
            }
            index++;
        }
        return payloads;
    }

    /** Stores the inputs, then the manifest (create-only): a batch exists once its manifest does. */
    private BatchManifest store(BlobStore store, JobTemplate t, BatchOptions batchOptions, List<byte[]> payloads) {
        String id = "grp-" + HexFormat.of().formatHex(randomBytes()).substring(0, 8);
        List<String> hashes = new ArrayList<>();
        Set<String> trees = new TreeSet<>();
        for (int i = 0; i < payloads.size(); i++) {
            store.put(BatchLayout.input(id, i), payloads.get(i));
            hashes.add(Hashing.sha256(payloads.get(i)));
            trees.addAll(PayloadFile.dataTrees(payloads.get(i)));
        }
        BatchManifest manifest = new BatchManifest(
                1,
                id,
                batchOptions.name(),
                t.function(),
                t.definingClass(),
                engine.clock().instant(),
                t.options(),
                batchOptions,
                t.classpath(),
                t.envNames(),
                hashes,
                List.copyOf(trees));
        if (!store.putIfAbsent(BatchLayout.manifest(id), manifest.toJson())) {
            throw new KineticException("batch id " + id + " already exists; run again for a fresh id");
        }
        return manifest;
    }

    /** Rebuilds a batch from its manifest. */
    public <R> BatchHandle<R> attach(String id) {
        if (id == null || !id.matches("grp-[0-9a-f]{8}")) {
            throw new KineticException("'" + id + "' is not a batch id (batch ids look like grp-1a2b3c4d); "
                    + "list batches with `kinetic batches list`");
        }
        BlobStore store = engine.defaultStore();
        byte[] json = store.get(BatchLayout.manifest(id))
                .orElseThrow(() -> new KineticException(
                        id,
                        "no batch '" + id + "' in store " + store.uri() + "; list batches with `kinetic batches list`",
                        null));
        return new DefaultBatchHandle<>(
                engine, submitter, lookup, store, BatchManifest.fromJson(json, BatchLayout.manifest(id)));
    }

    /** The ids of every batch in the store. */
    public List<String> list() {
        List<String> out = new ArrayList<>();
        for (String p : engine.defaultStore().listPrefixes("groups/")) {
            out.add(p.substring("groups/".length(), p.length() - 1));
        }
        return out;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return b;
    }
}
