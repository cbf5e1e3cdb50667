package dev.kinetic.internal.batch;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.RemoteFunction;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.observe.JobLookup;
import dev.kinetic.internal.protocol.CallPayload;
import dev.kinetic.internal.submit.JobTemplate;
import dev.kinetic.internal.submit.Submitter;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.store.BlobStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creates and attaches batches. */
public final class BatchService {
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
     * manifest and inputs, and starts submitting in the background.
     */
    public <A, R> BatchHandle<R> start(
            RemoteFunction<A, R> function, Collection<A> inputs, JobOptions options, BatchOptions batchOptions) {
        if (options.idempotencyKey() != null) {
            throw new KineticException("idempotencyKey '" + options.idempotencyKey() + "' applies to runAsync, not to "
                    + "runAsyncMap: a batch is one id with many jobs; keep its id and reattach with "
                    + "Kinetic.attachBatch(id) instead of submitting it again");
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
        List<byte[]> payloads = new ArrayList<>();
        int index = 0;
        for (A input : inputs) {
            try {
                payloads.add(submitter.packager().serialize(prepared, CallPayload.of(function, input)));
            } catch (IllegalArgumentException | KineticException e) {
                throw new KineticException("input " + index + " of the batch cannot be shipped: " + e.getMessage(), e);
            }
            index++;
        }
        prepared = submitter.packager().withClasspath(prepared, ClasspathSnapshot.currentClasspath());
        BlobStore store = engine.store(prepared.settings().store());
        String id = "grp-" + HexFormat.of().formatHex(randomBytes()).substring(0, 8);
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            store.put(BatchLayout.input(id, i), payloads.get(i));
            hashes.add(Hashing.sha256(payloads.get(i)));
        }
        BatchManifest manifest = new BatchManifest(
                1,
                id,
                batchOptions.name(),
                prepared.function(),
                prepared.definingClass(),
                engine.clock().instant(),
                childOptions,
                batchOptions,
                prepared.classpath(),
                prepared.envNames(),
                hashes);
        if (!store.putIfAbsent(BatchLayout.manifest(id), manifest.toJson())) {
            throw new KineticException("batch id " + id + " already exists; run again for a fresh id");
        }
        DefaultBatchHandle<R> handle = new DefaultBatchHandle<>(engine, submitter, lookup, store, manifest);
        handle.resume();
        return handle;
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
