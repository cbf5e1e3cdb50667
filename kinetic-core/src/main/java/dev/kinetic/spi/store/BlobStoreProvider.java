package dev.kinetic.spi.store;

import java.net.URI;
import java.util.Map;

/**
 * Service-provider interface: opens a {@link BlobStore} for one URI scheme. Registered in
 * {@code META-INF/services/dev.kinetic.spi.store.BlobStoreProvider}, so the core never depends on a cloud SDK.
 */
public interface BlobStoreProvider {

    /** The URI scheme served, e.g. {@code file}, {@code s3}, {@code gs}. */
    String scheme();

    /**
     * Opens the store.
     *
     * @param uri the store URI, e.g. {@code s3://bucket/prefix}
     * @param environment the environment to read settings such as {@code KINETIC_S3_ENDPOINT} from
     *     (injected so tests can control it)
     */
    BlobStore open(URI uri, Map<String, String> environment);
}
