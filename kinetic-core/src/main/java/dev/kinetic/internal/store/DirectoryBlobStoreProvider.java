package dev.kinetic.internal.store;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStoreProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Opens {@code file:} stores. {@code file:~/x} is taken relative to the user's home directory. */
public final class DirectoryBlobStoreProvider implements BlobStoreProvider {

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public BlobStore open(URI uri, Map<String, String> environment) {
        return new DirectoryBlobStore(toPath(uri));
    }

    /** The directory a {@code file:} URI names. */
    public static Path toPath(URI uri) {
        String raw = uri.getSchemeSpecificPart();
        if (raw.startsWith("~")) {
            return Path.of(System.getProperty("user.home") + raw.substring(1));
        }
        if (uri.isAbsolute() && uri.getPath() != null && raw.startsWith("/")) {
            return Path.of(uri.getPath());
        }
        return Path.of(raw);
    }
}
