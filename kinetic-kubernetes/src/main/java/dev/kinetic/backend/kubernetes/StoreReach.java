package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Whether pods can reach the job's store. Buckets ({@code gs://}, {@code s3://}) can; a {@code file:} store is
 * a directory on the submitting machine, which pods reach only when it sits on a filesystem mounted at the
 * same path on every node, declared with the {@code shared-store-path} setting.
 */
final class StoreReach {
    private StoreReach() {}

    /** @throws KineticException naming the store and the two ways out, when pods cannot reach it */
    static void check(String store, KubernetesSettings settings) {
        sharedDirectory(store, settings);
    }

    /** The directory to mount into the pod for a {@code file:} store, or null for stores pods reach by network. */
    static Path sharedDirectory(String store, KubernetesSettings settings) {
        URI uri = URI.create(store);
        if (!"file".equals(uri.getScheme())) {
            return null;
        }
        Path dir = Path.of(uri).normalize();
        Path shared = settings.sharedStorePath();
        if (shared == null) {
            throw new KineticException("store " + store + " is a directory on this machine, which pods on the cluster "
                    + "cannot reach. Use a bucket (KINETIC_STORE=gs://BUCKET/kinetic or s3://BUCKET/kinetic), or, if "
                    + dir + " is on a filesystem mounted at the same path on every node (NFS, a single-machine test "
                    + "cluster), declare it with KINETIC_SHARED_STORE_PATH=" + dir + " (option shared-store-path)");
        }
        if (!dir.startsWith(shared)) {
            throw new KineticException("store " + store + " is not under shared-store-path " + shared
                    + ", so pods cannot reach it: put the store under " + shared + " (KINETIC_STORE=file:" + shared
                    + "/store) or set KINETIC_SHARED_STORE_PATH to a directory that holds " + dir);
        }
        return dir;
    }
}
