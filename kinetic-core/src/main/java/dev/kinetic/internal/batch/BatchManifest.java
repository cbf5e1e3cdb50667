package dev.kinetic.internal.batch;

import dev.kinetic.BatchOptions;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code groups/<id>/manifest.json}: everything needed to submit any input again from any JVM without the
 * user's classes: options, the classpath already in the store, and each input's payload hash (the payloads
 * themselves are stored beside it) and the data trees they read (so collection need not read the inputs). Written once, before the first submission; progress is kept in separate
 * create-only claim objects, so two writers never race on one document.
 */
public record BatchManifest(
        int schema,
        String id,
        String name,
        String function,
        String definingClass,
        Instant createdAt,
        JobOptions options,
        BatchOptions batchOptions,
        List<JobRecord.Artifact> classpath,
        List<String> envNames,
        List<String> inputSha256,
        List<String> dataTrees) {

    public BatchManifest {
        classpath = List.copyOf(classpath);
        envNames = List.copyOf(envNames);
        inputSha256 = List.copyOf(inputSha256);
        dataTrees = dataTrees == null ? null : List.copyOf(dataTrees); // null: written before this field
    }

    public int size() {
        return inputSha256.size();
    }

    byte[] toJson() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static BatchManifest fromJson(byte[] json, String where) {
        try {
            return Json.MAPPER.readValue(json, BatchManifest.class);
        } catch (IOException e) {
            throw new KineticException(
                    "batch manifest " + where + " is corrupt and cannot be read: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }
}
