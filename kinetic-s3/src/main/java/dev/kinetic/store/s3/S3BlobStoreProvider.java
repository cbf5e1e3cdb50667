package dev.kinetic.store.s3;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStoreProvider;
import java.net.URI;
import java.util.Map;

/**
 * Opens {@code s3://bucket[/prefix]} stores; found by {@link dev.kinetic.spi.store.BlobStores} through
 * {@code META-INF/services}.
 *
 * <pre>{@code
 * BlobStore store = BlobStores.open(URI.create("s3://my-bucket/kinetic"), System.getenv());
 * }</pre>
 */
public final class S3BlobStoreProvider implements BlobStoreProvider {

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public BlobStore open(URI uri, Map<String, String> environment) {
        return S3BlobStore.open(uri, environment);
    }
}
