package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import picocli.CommandLine.Option;

/** Which parts of a job to keep: shared by {@code jobs result}, {@code jobs cleanup} and {@code submit}. */
final class CleanupOptions {
    @Option(names = "--no-cluster", negatable = false,
            description = "Keep the backend resource (the Kubernetes Job, the local process record).")
    boolean keepBackend;

    @Option(names = "--no-store", negatable = false,
            description = "Keep the stored artifacts (record, payload, log, result).")
    boolean keepStore;

    Cleanup cleanup() {
        return Cleanup.of(!keepBackend, !keepStore);
    }
}
