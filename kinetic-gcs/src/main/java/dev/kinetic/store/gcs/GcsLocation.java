package dev.kinetic.store.gcs;

import dev.kinetic.spi.store.StoreException;
import java.net.URI;

/**
 * Where a store lives: a bucket and an optional key prefix inside it, parsed from {@code gs://bucket[/prefix]}.
 *
 * <pre>{@code
 * GcsLocation at = GcsLocation.parse(URI.create("gs://my-bucket/team/kinetic"));
 * at.objectName("jobs/a");   // "team/kinetic/jobs/a"
 * }</pre>
 *
 * @param bucket the bucket name
 * @param prefix the prefix every key is stored under: empty, or ending in {@code /}
 */
public record GcsLocation(String bucket, String prefix) {

    public GcsLocation {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end in '/': " + prefix);
        }
    }

    /** Parses {@code gs://bucket[/prefix]}; a trailing slash on the prefix is optional. */
    public static GcsLocation parse(URI uri) {
        if (!"gs".equals(uri.getScheme())
                || uri.getAuthority() == null
                || uri.getAuthority().isBlank()) {
            throw new StoreException("invalid GCS store URI '" + uri + "': expected gs://bucket or gs://bucket/prefix");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (prefix.contains("//")) {
            throw new StoreException("invalid GCS store URI '" + uri + "': the prefix has an empty segment");
        }
        return new GcsLocation(uri.getAuthority(), prefix.isEmpty() ? "" : prefix + "/");
    }

    /** The object name in the bucket for a store key. */
    public String objectName(String storeKey) {
        return prefix + storeKey;
    }

    /** The store key for an object name listed from the bucket (which starts with the prefix). */
    public String storeKey(String objectName) {
        return objectName.substring(prefix.length());
    }

    /** {@code gs://bucket/prefix}, as users write it. */
    public URI uri() {
        return URI.create("gs://" + bucket + "/" + prefix);
    }

    @Override
    public String toString() {
        return uri().toString();
    }
}
