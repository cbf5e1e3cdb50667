package dev.kinetic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a job runs: the same options for blocking and detached calls. Immutable; build with {@link #builder()}
 * or through the fluent methods of {@link RemoteJob} and {@link RemoteFunctionJob}.
 * <pre>{@code
 * JobOptions options = JobOptions.builder().accelerator("l4").captureEnv("WANDB_*").label("team", "nlp").build();
 * }</pre>
 *
 * @param accelerator {@code cpu} (default), a GPU such as {@code l4} or {@code a100x4}, a TPU such as
 *     {@code tpu-v5e-1}; a {@code :spot} suffix asks for spot capacity
 * @param backend {@code local} or {@code kubernetes}; {@code null} means the resolved setting
 * @param store the store URI ({@code file:/dir}, {@code s3://bucket/prefix}, {@code gs://bucket}); {@code null}
 *     means the resolved setting
 * @param captureEnv environment variable names, or {@code PREFIX_*} patterns, whose values travel with the job
 * @param outputDir a store prefix for {@code KINETIC_OUTPUT_DIR} shared across jobs; {@code null} means
 *     {@code outputs/<id>/}
 * @param labels free-form labels, shown and filterable in listings
 * @param displayName the function name used in the job id; {@code null} derives it from the lambda
 * @param jvmArgs extra options for the task JVM, e.g. {@code -Xmx8g}
 * @param retries how many times the backend retries after a disruption (preemption); 0 by default
 * @param backendSettings backend-specific settings (e.g. {@code namespace}, {@code image}) that override the
 *     resolved ones
 * @param volumes data that appears at a mount path in the task (absolute paths), e.g. {@code /data/train}; not
 *     part of stored options (each payload carries its volumes)
 * @param classpath the jars and class directories the task runs with; empty means this JVM's classpath (the
 *     {@code kinetic submit} command passes a project's classpath here); not part of stored options
 * @param idempotencyKey a key that makes submission idempotent: every submission with the same key to the same
 *     store returns the same job, of which only one ever runs; {@code null} for none
 * @param hosts how many hosts run the function together, each with the accelerator's shape; 0 (the default) means
 *     the accelerator's own count: a multi-host TPU slice's hosts (4 for {@code tpu-v5e-16}), else 1. On a TPU it
 *     must agree with the slice
 * @param timeout how long the job may run, counted from when it starts running (not from submission); when it runs
 *     out the job ends FAILED ("timed out after PT…") with its whole process tree stopped, its outputs synced first.
 *     On Kubernetes it also sets the Job's {@code activeDeadlineSeconds}. {@code null} (the default) for no limit.
 *     Not to be confused with {@link JobHandle#result(java.time.Duration)}'s timeout, which only stops waiting
 */
public record JobOptions(
        String accelerator,
        String backend,
        String store,
        List<String> captureEnv,
        String outputDir,
        Map<String, String> labels,
        String displayName,
        List<String> jvmArgs,
        int retries,
        Map<String, String> backendSettings,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, dev.kinetic.Data> volumes,
        @com.fasterxml.jackson.annotation.JsonIgnore List<java.nio.file.Path> classpath,
        String idempotencyKey,
        int hosts,

        @com.fasterxml.jackson.annotation.JsonFormat(shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING)
        java.time.Duration timeout) {

    private static final Pattern ENV_PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");

    /** Options with every default. */
    public static final JobOptions DEFAULTS = builder().build();

    public JobOptions {
        accelerator = accelerator == null ? "cpu" : accelerator.trim().toLowerCase(java.util.Locale.ROOT);
        if (accelerator.isEmpty()) {
            throw new IllegalArgumentException("accelerator must not be empty; use \"cpu\" for no accelerator");
        }
        captureEnv = List.copyOf(captureEnv == null ? List.of() : captureEnv);
        for (String name : captureEnv) {
            if (!ENV_PATTERN.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid env capture '" + name
                        + "': use a variable name (WANDB_API_KEY) or a prefix pattern (WANDB_*)");
            }
        }
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        for (var e : labels.entrySet()) {
            if (!LABEL_KEY.matcher(e.getKey()).matches() || e.getValue().length() > 63) {
                throw new IllegalArgumentException("invalid label " + e.getKey() + "=" + e.getValue()
                        + ": keys are letters, digits, '.', '_', '-', '/', values at most 63 characters");
            }
        }
        jvmArgs = List.copyOf(jvmArgs == null ? List.of() : jvmArgs);
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        backendSettings = Map.copyOf(backendSettings == null ? Map.of() : backendSettings);
        volumes = Map.copyOf(volumes == null ? Map.of() : volumes);
        for (String mount : volumes.keySet()) {
            java.nio.file.Path p = java.nio.file.Path.of(mount);
            if (!p.isAbsolute() || !p.normalize().equals(p) || mount.contains("..") || p.getParent() == null) {
                throw new IllegalArgumentException("invalid volume mount path '" + mount
                        + "': use an absolute path below the root without '..', e.g. /data/train");
            }
        }
        classpath = List.copyOf(classpath == null ? List.of() : classpath);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new IllegalArgumentException(
                    "invalid idempotency key '" + idempotencyKey + "': use 1 to 128 letters, "
                            + "digits, '.', '_' or '-', starting with a letter or digit, e.g. ci-run-4711 or nightly.2026-11-30");
        }
        if (hosts < 0) {
            throw new IllegalArgumentException(
                    "hosts must be at least 1, got " + hosts + " (or leave it unset for the accelerator's own count)");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be longer than zero, got " + timeout
                    + "; e.g. Duration.ofHours(2), or leave it unset for no limit");
        }
        if (displayName != null && displayName.isBlank()) {
            throw new IllegalArgumentException("displayName must not be blank");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.accelerator = accelerator;
        b.backend = backend;
        b.store = store;
        b.captureEnv.addAll(captureEnv);
        b.outputDir = outputDir;
        b.labels.putAll(labels);
        b.displayName = displayName;
        b.jvmArgs.addAll(jvmArgs);
        b.retries = retries;
        b.backendSettings.putAll(backendSettings);
        b.volumes.putAll(volumes);
        b.classpath.addAll(classpath);
        b.idempotencyKey = idempotencyKey;
        b.hosts = hosts;
        b.timeout = timeout;
        return b;
    }

    /** Builds {@link JobOptions}; every setter returns this builder. */
    public static final class Builder {
        private String accelerator = "cpu";
        private String backend;
        private String store;
        private final List<String> captureEnv = new ArrayList<>();
        private String outputDir;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String displayName;
        private final List<String> jvmArgs = new ArrayList<>();
        private int retries;
        private final Map<String, String> backendSettings = new LinkedHashMap<>();
        private final Map<String, dev.kinetic.Data> volumes = new LinkedHashMap<>();
        private final List<java.nio.file.Path> classpath = new ArrayList<>();
        private String idempotencyKey;
        private int hosts;
        private java.time.Duration timeout;

        private Builder() {}

        /**
         * Limits how long the job may run, counted from when it starts running: then it is stopped (its whole process
         * tree, after its outputs are synced) and ends FAILED with the reason "timed out after PT…". On Kubernetes it
         * also becomes the Job's {@code activeDeadlineSeconds}. {@code null} for no limit (the default).
         */
        public Builder timeout(java.time.Duration limit) {
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                throw new IllegalArgumentException("timeout must be longer than zero, got " + limit
                        + "; e.g. Duration.ofHours(2), or leave it unset for no limit");
            }
            this.timeout = limit;
            return this;
        }

        /**
         * Runs the function on {@code n} hosts together, each with the accelerator's shape (n CPU machines, n pods of
         * 4 L4 GPUs, n local processes). A multi-host TPU slice has its own count (4 for {@code tpu-v5e-16}); asking
         * for another is an error naming both. Every host gets {@code KINETIC_HOST_INDEX}, {@code KINETIC_HOST_COUNT},
         * {@code KINETIC_COORDINATOR_ADDRESS} and {@code KINETIC_HOSTS}; the job's result is host 0's.
         */
        public Builder hosts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("hosts must be at least 1, got " + n);
            }
            this.hosts = n;
            return this;
        }

        /** Runs the task with these jars and class directories instead of this JVM's classpath. */
        public Builder classpath(List<java.nio.file.Path> entries) {
            classpath.clear();
            classpath.addAll(entries);
            return this;
        }

        /**
         * Makes the submission idempotent: a second submission with the same key to the same store returns the first
         * job (while its record exists) instead of starting another, even from another JVM.
         */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /** Makes {@code data} appear, read-only, at {@code mountPath} in the task. */
        public Builder volume(String mountPath, dev.kinetic.Data data) {
            volumes.put(Objects.requireNonNull(mountPath, "mountPath"), Objects.requireNonNull(data, "data"));
            return this;
        }

        public Builder accelerator(String accelerator) {
            this.accelerator = Objects.requireNonNull(accelerator, "accelerator");
            return this;
        }

        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        public Builder store(String storeUri) {
            this.store = storeUri;
            return this;
        }

        /** Adds variable names or {@code PREFIX_*} patterns whose values travel with the job. */
        public Builder captureEnv(String... namesOrPatterns) {
            captureEnv.addAll(List.of(namesOrPatterns));
            return this;
        }

        public Builder outputDir(String storePrefix) {
            this.outputDir = storePrefix;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key, "label key"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels.putAll(labels);
            return this;
        }

        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(List.of(args));
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** A backend-specific setting such as {@code namespace} or {@code image}. */
        public Builder backendSetting(String key, String value) {
            backendSettings.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public JobOptions build() {
            return new JobOptions(
                    accelerator,
                    backend,
                    store,
                    captureEnv,
                    outputDir,
                    labels,
                    displayName,
                    jvmArgs,
                    retries,
                    backendSettings,
                    volumes,
                    classpath,
                    idempotencyKey,
                    hosts,
                    timeout);
        }
    }
}
