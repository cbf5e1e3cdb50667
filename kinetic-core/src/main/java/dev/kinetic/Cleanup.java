package dev.kinetic;

/**
 * What to delete when a job is cleaned up. Outputs under {@code outputs/<id>/} are never deleted.
 * <pre>{@code
 * job.cleanup(Cleanup.ALL);      // backend resource and stored artifacts
 * job.result(Duration.ofHours(1), Cleanup.NONE);  // keep everything
 * }</pre>
 */
public enum Cleanup {
    /** Keep everything. */
    NONE(false, false),
    /** Delete the backend resource (the process record, the Kubernetes Job), keep stored artifacts. */
    BACKEND(true, false),
    /** Delete the stored artifacts (record, payload, result, log), keep the backend resource. */
    STORE(false, true),
    /** Delete both. */
    ALL(true, true);

    private final boolean backend;
    private final boolean store;

    Cleanup(boolean backend, boolean store) {
        this.backend = backend;
        this.store = store;
    }

    /** Whether the backend resource is deleted. */
    public boolean backend() {
        return backend;
    }

    /** Whether the stored artifacts are deleted. */
    public boolean store() {
        return store;
    }

    /** The policy with the given parts. */
    public static Cleanup of(boolean backend, boolean store) {
        return backend ? (store ? ALL : BACKEND) : (store ? STORE : NONE);
    }
}
