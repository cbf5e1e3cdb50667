package dev.kinetic.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kinetic.KineticException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The job record ({@code jobs/<id>/job.json}), written before anything is created on a backend. Readers
 * ignore unknown fields, so old clients read records written by new ones.
 *
 * @param schema record format version
 * @param id the job id
 * @param function the function's short name
 * @param functionClass the class that defines the function (for humans and diagnostics)
 * @param accelerator the accelerator string as given
 * @param backend the backend name
 * @param store the store URI
 * @param createdAt submission time
 * @param submittedBy {@code user@host}
 * @param labels user labels
 * @param envNames the names (never values) of captured environment variables
 * @param payload the payload's hash and size
 * @param classpath the classpath entries, in order
 * @param jvmArgs extra task JVM options
 * @param outputPrefix the store prefix the task's outputs go to
 * @param retries retries asked for
 * @param groupId the batch this job belongs to, or null
 * @param groupIndex its input index in the batch, or null
 * @param backendSettings backend-specific settings in effect (namespace, image, ...)
 * @param backendRef where the backend keeps the job (local: host and state directory; Kubernetes: namespace)
 * @param kineticVersion the submitting library's version
 * @param idempotencyKey the key the job was submitted with, or null
 * @param dataTrees the hashes of the uploaded data trees the job reads (for collection); null in records written
 *     before this field
 * @param hosts how many hosts run the job together (a multi-host TPU slice, or {@code hosts(n)}); 1 for a job of one
 *     host, and for records written before multi-host jobs existed
 * @param timeout how long the job may run once it started running ({@code JobOptions.timeout}), or null for no limit
 *     (and in records written before time limits existed); stored as ISO-8601, e.g. {@code "PT2H"}
 */
public record JobRecord(
        int schema,
        JobId id,
        String function,
        String functionClass,
        String accelerator,
        String backend,
        String store,
        Instant createdAt,
        String submittedBy,
        Map<String, String> labels,
        List<String> envNames,
        Artifact payload,
        List<Artifact> classpath,
        List<String> jvmArgs,
        String outputPrefix,
        int retries,
        String groupId,
        Integer groupIndex,
        Map<String, String> backendSettings,
        Map<String, String> backendRef,
        String kineticVersion,
        String idempotencyKey,
        List<String> dataTrees,
        int hosts,

        @com.fasterxml.jackson.annotation.JsonFormat(shape = com.fasterxml.jackson.annotation.JsonFormat.Shape.STRING)
        java.time.Duration timeout) {

    public static final int SCHEMA = 1;

    public JobRecord {
        hosts = Math.max(1, hosts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        envNames = envNames == null ? List.of() : List.copyOf(envNames);
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
        backendSettings = backendSettings == null ? Map.of() : Map.copyOf(backendSettings);
        backendRef = backendRef == null ? Map.of() : Map.copyOf(backendRef);
        dataTrees = dataTrees == null ? null : List.copyOf(dataTrees);
    }

    /**
     * A content-addressed file.
     *
     * @param sha256 hex SHA-256 of the bytes
     * @param size length in bytes
     * @param name where it came from (a jar's file name), for humans
     */
    public record Artifact(String sha256, long size, String name) {}

    public byte[] toJson() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job record " + id, e);
        }
    }

    /**
     * Parses a stored record.
     *
     * @throws KineticException naming the key when the bytes are not a valid record
     */
    public static JobRecord fromJson(byte[] json, String where) {
        try {
            JobRecord record = Json.MAPPER.readValue(json, JobRecord.class);
            if (record.id() == null || record.payload() == null || record.backend() == null) {
                throw new KineticException(
                        record.id() == null ? null : record.id().value(),
                        "job record " + where
                                + " is incomplete (missing id, payload or backend); it was not written by Kinetic or is damaged",
                        null);
            }
            return record;
        } catch (JsonProcessingException e) {
            throw new KineticException(
                    null,
                    "job record " + where + " is corrupt and cannot be read (" + e.getOriginalMessage()
                            + "); delete the job with `kinetic jobs cleanup <id>`",
                    null);
        } catch (IOException e) {
            throw new KineticException(null, "job record " + where + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** A builder for a new record; {@code id}, {@code payload} and {@code backend} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record, to change some of it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schema = schema;
        b.id = id;
        b.function = function;
        b.functionClass = functionClass;
        b.accelerator = accelerator;
        b.backend = backend;
        b.store = store;
        b.createdAt = createdAt;
        b.submittedBy = submittedBy;
        b.labels = labels;
        b.envNames = envNames;
        b.payload = payload;
        b.classpath = classpath;
        b.jvmArgs = jvmArgs;
        b.outputPrefix = outputPrefix;
        b.retries = retries;
        b.groupId = groupId;
        b.groupIndex = groupIndex;
        b.backendSettings = backendSettings;
        b.backendRef = backendRef;
        b.kineticVersion = kineticVersion;
        b.idempotencyKey = idempotencyKey;
        b.dataTrees = dataTrees;
        b.hosts = hosts;
        b.timeout = timeout;
        return b;
    }

    /** Builds a {@link JobRecord}; every setter returns this builder. */
    public static final class Builder {
        private int schema = SCHEMA;
        private JobId id;
        private String function;
        private String functionClass;
        private String accelerator = "cpu";
        private String backend;
        private String store;
        private Instant createdAt;
        private String submittedBy;
        private Map<String, String> labels = Map.of();
        private List<String> envNames = List.of();
        private Artifact payload;
        private List<Artifact> classpath = List.of();
        private List<String> jvmArgs = List.of();
        private String outputPrefix;
        private int retries;
        private String groupId;
        private Integer groupIndex;
        private Map<String, String> backendSettings = Map.of();
        private Map<String, String> backendRef = Map.of();
        private String kineticVersion;
        private String idempotencyKey;
        private List<String> dataTrees;
        private int hosts = 1;
        private java.time.Duration timeout;

        private Builder() {}

        public Builder id(JobId id) {
            this.id = id;
            return this;
        }

        /** The function's short name and the class that defines it. */
        public Builder function(String name, String definingClass) {
            this.function = name;
            this.functionClass = definingClass;
            return this;
        }

        public Builder accelerator(String accelerator) {
            this.accelerator = accelerator;
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

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder submittedBy(String userAtHost) {
            this.submittedBy = userAtHost;
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder envNames(List<String> envNames) {
            this.envNames = envNames;
            return this;
        }

        public Builder payload(Artifact payload) {
            this.payload = payload;
            return this;
        }

        public Builder classpath(List<Artifact> classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs = jvmArgs;
            return this;
        }

        public Builder outputPrefix(String outputPrefix) {
            this.outputPrefix = outputPrefix;
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** The batch this job belongs to and its input index; both null for a job of its own. */
        public Builder group(String groupId, Integer groupIndex) {
            this.groupId = groupId;
            this.groupIndex = groupIndex;
            return this;
        }

        public Builder backendSettings(Map<String, String> backendSettings) {
            this.backendSettings = backendSettings;
            return this;
        }

        public Builder backendRef(Map<String, String> backendRef) {
            this.backendRef = backendRef;
            return this;
        }

        public Builder kineticVersion(String kineticVersion) {
            this.kineticVersion = kineticVersion;
            return this;
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        public Builder dataTrees(List<String> treeHashes) {
            this.dataTrees = treeHashes;
            return this;
        }

        /** How many hosts run the job together; 1 (the default) for a job of one host. */
        public Builder hosts(int hosts) {
            this.hosts = hosts;
            return this;
        }

        /** How long the job may run once it started running; null (the default) for no limit. */
        public Builder timeout(java.time.Duration limit) {
            this.timeout = limit;
            return this;
        }

        public JobRecord build() {
            return new JobRecord(
                    schema,
                    id,
                    function,
                    functionClass,
                    accelerator,
                    backend,
                    store,
                    createdAt,
                    submittedBy,
                    labels,
                    envNames,
                    payload,
                    classpath,
                    jvmArgs,
                    outputPrefix,
                    retries,
                    groupId,
                    groupIndex,
                    backendSettings,
                    backendRef,
                    kineticVersion,
                    idempotencyKey,
                    dataTrees,
                    hosts,
                    timeout);
        }
    }
}
