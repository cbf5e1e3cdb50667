package dev.kinetic.cli;

import dev.kinetic.Cleanup;
import picocli.CommandLine.Option;

/** Which parts of a job to keep: shared by {@code jobs result}, {@code jobs cleanup} and {@code submit}. */
final class CleanupOptions {
    @Option(
            names = "--no-cluster",
            negatable = false,
            description = "Keep the backend resource (the Kubernetes Job, the local process record).")
    boolean keepBackend;

    @Option(
            names = "--no-store",
            negatable = false,
            description = "Keep the stored artifacts (record, payload, log, result).")
    boolean keepStore;

    Cleanup cleanup() {
        return Cleanup.of(!keepBackend, !keepStore);
    }

    /**
     * The cleanup asked for by a cleanup command, where keeping both parts would delete nothing: that is a usage
     * error, made by {@code usage}.
     */
    Cleanup somethingToDelete(java.util.function.Function<String, ? extends RuntimeException> usage) {
        Cleanup cleanup = cleanup();
        if (cleanup == Cleanup.NONE) {
            throw usage.apply("--no-cluster and --no-store together leave nothing to clean up; drop one of them");
        }
        return cleanup;
    }
}
