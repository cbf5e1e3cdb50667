package dev.kinetic.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.JobInfo;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.ui.view.FailureView;
import java.util.Optional;

/**
 * A job's failure with its remote stack trace, for the job page. The agent records how a job ended twice: the thrown
 * exception as a Java object ({@code result.bin}), and a plain-JSON description of it ({@code result.json}, with the
 * stack trace as the task printed it). The dashboard reads only the JSON, so showing why a job failed never
 * deserializes an object, let alone one of the user's classes.
 */
final class FailureReader {
    private FailureReader() {}

    static FailureView read(BlobStore store, JobInfo info) {
        Optional<JsonNode> outcome = StoredOutcome.read(store, JobId.of(info.id()));
        if (outcome.isEmpty()) {
            // No outcome (yet, or ever: an agent that died). What status knows is all there is.
            return new FailureView(info.id(), null, null, info.reason(), null, null, null, info.exitCode());
        }
        JsonNode json = outcome.get();
        JsonNode exit = json.get("exitCode");
        return new FailureView(
                info.id(),
                text(json, "status"),
                text(json, "phase"),
                text(json, "reason"),
                text(json, "exceptionType"),
                text(json, "exceptionMessage"),
                text(json, "remoteStackTrace"),
                exit == null || exit.isNull() ? null : exit.asInt());
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
