package dev.kinetic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a batch fans out. Immutable; build with {@link #builder()}.
 * <pre>{@code
 * BatchOptions options = BatchOptions.builder().maxConcurrent(8).retries(1).failFast(true).name("lr-sweep").build();
 * }</pre>
 *
 * @param maxConcurrent at most this many children run at once (default 64)
 * @param retries how many times a failed input is submitted again automatically (default 0)
 * @param failFast stop submitting new inputs once one has failed for good
 * @param cancelRunningOnFail also cancel the children still running when one fails for good
 * @param name a name for people, shown in listings; may be null
 * @param labels labels for the batch and every child
 */
public record BatchOptions(
        int maxConcurrent,
        int retries,
        boolean failFast,
        boolean cancelRunningOnFail,
        String name,
        Map<String, String> labels) {

    public static final BatchOptions DEFAULTS = builder().build();

    public BatchOptions {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1, got " + maxConcurrent);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
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

        public BatchOptions build() {
            return new BatchOptions(maxConcurrent, retries, failFast, cancelRunningOnFail, name, labels);
        }
    }
}
