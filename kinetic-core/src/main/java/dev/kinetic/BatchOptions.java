package dev.kinetic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a batch fans out. Immutable; build with {@link #builder()}.
 * <pre>{@code
 * BatchOptions options = BatchOptions.builder().maxConcurrent(8).retries(1).failFast(true).name("lr-sweep").build();
 * BatchOptions fresh = BatchOptions.builder().isolation(BatchOptions.Isolation.PER_INPUT).build();
 * }</pre>
 *
 * <p>A batch runs on {@code maxConcurrent} workers that the backend keeps alive (detached processes locally, the
 * pods of one Kubernetes Job), not on the JVM that submitted it. Each worker takes inputs one after another and, by
 * default ({@link Isolation#PER_WORKER}), keeps one task JVM for all of them: the function's classes, static fields
 * and anything they hold (a loaded model) stay from one input to the next. {@link Isolation#PER_INPUT} gives every
 * input a fresh JVM.
 *
 * @param maxConcurrent at most this many inputs run at once: the number of workers (default 64)
 * @param retries how many times a failed input is run again automatically (default 0); an input whose worker died
 *     (killed, out of memory, preempted) counts as failed once
 * @param failFast stop taking new inputs once one has failed for good
 * @param cancelRunningOnFail also cancel the children still running when one fails for good
 * @param name a name for people, shown in listings; may be null
 * @param labels labels for the batch and every child
 * @param isolation whether a worker keeps its JVM across inputs (default) or starts a fresh one per input
 */
public record BatchOptions(
        int maxConcurrent,
        int retries,
        boolean failFast,
        boolean cancelRunningOnFail,
        String name,
        Map<String, String> labels,
        Isolation isolation) {

    public static final BatchOptions DEFAULTS = builder().build();

    public BatchOptions {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1, got " + maxConcurrent);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        isolation = isolation == null ? Isolation.PER_WORKER : isolation; // null: options stored before isolation
    }

    /** The options as they were before {@code isolation} existed: workers keep their JVM ({@link Isolation#PER_WORKER}). */
    public BatchOptions(
            int maxConcurrent,
            int retries,
            boolean failFast,
            boolean cancelRunningOnFail,
            String name,
            Map<String, String> labels) {
        this(maxConcurrent, retries, failFast, cancelRunningOnFail, name, labels, Isolation.PER_WORKER);
    }

    /**
     * Which inputs share a JVM.
     *
     * <pre>{@code
     * fn.runAsyncMap(paths, BatchOptions.builder().isolation(BatchOptions.Isolation.PER_INPUT).build());
     * }</pre>
     */
    public enum Isolation {
        /**
         * One task JVM per worker, kept across its inputs (the default): classes load once, and static state (a model
         * loaded on the first call) is still there for the next input. The environment is the worker's: {@code
         * KINETIC_OUTPUT_DIR} is one directory, emptied and synced for each input; the current input's job id is the
         * system property {@code kinetic.job.id}. A {@code System.exit} in the function ends that JVM; the worker starts
         * a fresh one for its next input.
         */
        PER_WORKER,
        /**
         * A fresh task JVM for every input, exactly as a single job gets: nothing carries over from one input to the
         * next. For functions with native state, {@code System.exit}, or static state that must not leak between
         * inputs.
         */
        PER_INPUT
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link BatchOptions}. */
    public static final class Builder {
        private int maxConcurrent = 64;
        private int retries;
        private boolean failFast;
        private boolean cancelRunningOnFail;
        private String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private Isolation isolation = Isolation.PER_WORKER;

        private Builder() {}

        public Builder maxConcurrent(int n) {
            this.maxConcurrent = n;
            return this;
        }

        public Builder retries(int n) {
            this.retries = n;
            return this;
        }

        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        public Builder cancelRunningOnFail(boolean cancel) {
            this.cancelRunningOnFail = cancel;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** {@link Isolation#PER_INPUT} for a fresh JVM per input; default {@link Isolation#PER_WORKER}. */
        public Builder isolation(Isolation isolation) {
            if (isolation == null) {
                throw new IllegalArgumentException("isolation must be PER_WORKER or PER_INPUT, got null");
            }
            this.isolation = isolation;
            return this;
        }

        public BatchOptions build() {
            return new BatchOptions(maxConcurrent, retries, failFast, cancelRunningOnFail, name, labels, isolation);
        }
    }
}
