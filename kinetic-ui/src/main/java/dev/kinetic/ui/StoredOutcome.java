package dev.kinetic.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.KineticException;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.ui.view.ViewJson;
import java.io.IOException;
import java.util.Optional;

/**
 * A job's recorded outcome ({@code jobs/<id>/result.json}) as plain JSON: how it ended, why, the remote stack trace as
 * text, and the hash of {@code result.bin}. Written by the agent as the store's commit point, documented in the
 * README's store layout; read here as a JSON tree so the dashboard needs nothing of the core's internals.
 */
final class StoredOutcome {
    private StoredOutcome() {}

    /** The outcome, or empty while the job has none (running, or its agent died before writing one). */
    static Optional<JsonNode> read(BlobStore store, JobId id) {
        String key = JobLayout.resultMeta(id);
        Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ViewJson.MAPPER.readTree(bytes.get()));
        } catch (IOException e) {
            throw new KineticException(
                    id.value(), "the outcome " + key + " of job " + id + " cannot be read: " + e.getMessage(), e);
        }
    }
}
