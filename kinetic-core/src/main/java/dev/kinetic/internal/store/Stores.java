package dev.kinetic.internal.store;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import java.net.URI;
import java.util.Map;

/** Opens stores for Kinetic's own processes: {@code file:} without a service scan, the rest through the SPI. */
public final class Stores {
    private Stores() {}

    /**
     * Opens the store for {@code uri}. The directory store is built in and opened directly: a service scan opens
     * every jar on the classpath, and the agent, which starts for every job, mostly uses {@code file:} stores.
     */
    public static BlobStore open(URI uri, Map<String, String> environment) {
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme();
        if (scheme.equals("file")) {
            return new DirectoryBlobStoreProvider().open(uri, environment);
        }
        return BlobStores.open(uri, environment);
    }
}
