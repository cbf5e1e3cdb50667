package dev.kinetic.store.gcs;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStoreProvider;
import java.net.URI;
import java.util.Map;

/**
 * Opens {@code gs://bucket[/prefix]} stores; found by {@link dev.kinetic.spi.store.BlobStores} through
 * {@code META-INF/services}.
 *
 * <pre>{@code
 * BlobStore store = BlobStores.open(URI.create("gs://my-bucket/kinetic"), System.getenv());
 * }</pre>
 */
public final class GcsBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String scheme() {
        return "gs";
    }

    @Override
    public BlobStore open(URI uri, Map<String, String> environment) {
        return GcsBlobStore.open(uri, environment);
    }
}
