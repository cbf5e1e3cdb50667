package dev.kinetic.job;

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
 */
public record JobRecord(
        int schema,
        String id,
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
        String kineticVersion) {

    public static final int SCHEMA = 1;

    public JobRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        envNames = envNames == null ? List.of() : List.copyOf(envNames);
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
        backendSettings = backendSettings == null ? Map.of() : Map.copyOf(backendSettings);
        backendRef = backendRef == null ? Map.of() : Map.copyOf(backendRef);
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
                throw new KineticException(record.id(), "job record " + where
                        + " is incomplete (missing id, payload or backend); it was not written by Kinetic or is damaged", null);
            }
            return record;
        } catch (JsonProcessingException e) {
            throw new KineticException(null, "job record " + where + " is corrupt and cannot be read ("
                    + e.getOriginalMessage() + "); delete the job with `kinetic jobs cleanup <id>`", null);
        } catch (IOException e) {
            throw new KineticException(null, "job record " + where + " cannot be read: " + e.getMessage(), e);
        }
    }
}
