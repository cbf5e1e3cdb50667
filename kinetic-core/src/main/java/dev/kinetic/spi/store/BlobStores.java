package dev.kinetic.spi.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the {@link BlobStoreProvider} for a URI's scheme. */
public final class BlobStores {
    private BlobStores() {}

    /** Opens the store for {@code uri} with the process environment. */
    public static BlobStore open(URI uri) {
        return open(uri, System.getenv());
    }

    /** Opens the store for {@code uri}; settings come from {@code environment}. */
    public static BlobStore open(URI uri, Map<String, String> environment) {
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme();
        List<String> known = new ArrayList<>();
        for (BlobStoreProvider provider :
                ServiceLoader.load(BlobStoreProvider.class, BlobStores.class.getClassLoader())) {
            if (provider.scheme().equals(scheme)) {
                return provider.open(uri, environment);
            }
            known.add(provider.scheme() + ":");
        }
        String hint = switch (scheme) {
            case "s3" -> " Add the dev.kinetic:kinetic-s3 module to the classpath.";
            case "gs" -> " Add the dev.kinetic:kinetic-gcs module to the classpath.";
            default -> "";
        };
        throw new StoreException("no store for URI scheme '" + scheme + ":' in " + uri + "; available schemes: "
                + String.join(", ", known) + "." + hint);
    }
}
