package dev.kinetic.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kinetic.KineticException;
import java.io.IOException;
import java.util.Map;

/**
 * A batch's workers, as the core asks a backend to run them ({@link Backend#startWorkers}). Each worker is an agent in
 * worker mode ({@link AgentCommand#forWorkers}): it takes the batch's inputs one after another from the store and
 * records each under a job id of its own, until no input is left. Stored as {@code groups/<batch>/pool.json}, so any
 * JVM can look at or stop the workers.
 *
 * @param schema format version
 * @param batchId the batch
 * @param generation 0 for the pool {@code runAsyncMap} started, then one more for each pool {@code resume()} or
 *     {@code retryFailed()} started; it makes backend names unique ({@link #name()})
 * @param workers how many workers run at once (the batch's {@code maxConcurrent}, at most the inputs left)
 * @param retries how many times each input may run again after a failure; a backend that replaces failed workers
 *     bounds how many it replaces by it
 * @param template what every input's job record shares (accelerator, store, backend settings, labels, classpath, JVM
 *     options, submitter); its id is {@link #name()}, and it is never stored as a job
 * @param backendRef where the backend keeps the pool (the local home and host; the Kubernetes namespace and cluster)
 * @param childRef the backend coordinates each input's job record carries, so the backend can say how that job is
 *     doing; a value may hold {@code {job}} (the input's job id) and {@code {worker}} (the worker's id), which the
 *     worker fills in
 */
public record WorkerPool(
        int schema,
        String batchId,
        int generation,
        int workers,
        int retries,
        JobRecord template,
        Map<String, String> backendRef,
        Map<String, String> childRef) {

    public static final int SCHEMA = 1;
    /** In a {@link #childRef} value: the input's job id. */
    public static final String JOB_PLACEHOLDER = "{job}";
    /** In a {@link #childRef} value: the worker's id. */
    public static final String WORKER_PLACEHOLDER = "{worker}";
    /** The key every input's job record carries in its backend coordinates: the id of the worker that ran it. */
    public static final String WORKER_REF = "batchWorker";
    /**
     * A {@link #childRef} key for backends that watch files on the worker's machine (local): a directory per input
     * where the worker keeps {@value #LIVE_WORKER} (its own process, {@code "<pid> <startMillis>"}, while it runs the
     * input), {@value #LIVE_OUTPUT} (the input's output as it is printed) and {@value #LIVE_EXITED} (once the input's
     * outcome is written).
     */
    public static final String LIVE_DIR_REF = "liveDir";

    public static final String LIVE_WORKER = "worker";
    public static final String LIVE_OUTPUT = "output.log";
    public static final String LIVE_EXITED = "exited";

    public WorkerPool {
        if (workers < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one worker, got " + workers);
        }
        backendRef = backendRef == null ? Map.of() : Map.copyOf(backendRef);
        childRef = childRef == null ? Map.of() : Map.copyOf(childRef);
    }

    /** The pool's name, unique per batch and generation: {@code <batch>-workers-<generation>}; a valid Kubernetes name. */
    public String name() {
        return name(batchId, generation);
    }

    /** {@link #name()} for a batch and generation. */
    public static String name(String batchId, int generation) {
        return batchId + "-workers-" + generation;
    }

    /** This pool with the backend's coordinates for it and for its inputs' jobs. */
    public WorkerPool withRefs(Map<String, String> poolRef, Map<String, String> inputRef) {
        return new WorkerPool(schema, batchId, generation, workers, retries, template, poolRef, inputRef);
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write worker pool " + name(), e);
        }
    }

    /**
     * Parses a stored pool.
     *
     * @throws KineticException naming the key when the bytes are not a pool
     */
    public static WorkerPool fromJson(byte[] json, String where) {
        try {
            return Json.MAPPER.readValue(json, WorkerPool.class);
        } catch (IOException e) {
            throw new KineticException(
                    "worker pool " + where + " is corrupt and cannot be read: "
                            + e.getMessage().lines().findFirst().orElse("")
                            + "; start workers again with `kinetic batches resume`",
                    e);
        }
    }
}
