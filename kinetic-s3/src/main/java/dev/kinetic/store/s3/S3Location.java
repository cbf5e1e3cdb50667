package dev.kinetic.store.s3;

import dev.kinetic.spi.store.StoreException;
import java.net.URI;

/**
 * Where a store lives: a bucket and an optional key prefix inside it, parsed from {@code s3://bucket[/prefix]}.
 *
 * <pre>{@code
 * S3Location at = S3Location.parse(URI.create("s3://my-bucket/team/kinetic"));
 * at.bucket();               // "my-bucket"
 * at.objectKey("jobs/a");    // "team/kinetic/jobs/a"
 * }</pre>
 *
 * @param bucket the bucket name
 * @param prefix the prefix every key is stored under: empty, or ending in {@code /}
 */
public record S3Location(String bucket, String prefix) {

    public S3Location {
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end in '/': " + prefix);
        }
    }

    /** Parses {@code s3://bucket[/prefix]}; a trailing slash on the prefix is optional. */
    public static S3Location parse(URI uri) {
        if (!"s3".equals(uri.getScheme())
                || uri.getAuthority() == null
                || uri.getAuthority().isBlank()) {
            throw new StoreException("invalid S3 store URI '" + uri + "': expected s3://bucket or s3://bucket/prefix");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (prefix.contains("//")) {
            throw new StoreException("invalid S3 store URI '" + uri + "': the prefix has an empty segment");
        }
        return new S3Location(uri.getAuthority(), prefix.isEmpty() ? "" : prefix + "/");
    }

    /** The object key in the bucket for a store key. */
    public String objectKey(String storeKey) {
        return prefix + storeKey;
    }

    /** The store key for an object key listed from the bucket (which starts with the prefix). */
    public String storeKey(String objectKey) {
        return objectKey.substring(prefix.length());
    }

    /** {@code s3://bucket/prefix}, as users write it. */
    public URI uri() {
        return URI.create("s3://" + bucket + "/" + prefix);
    }

    @Override
    public String toString() {
        return uri().toString();
    }
}
