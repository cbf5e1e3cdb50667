package dev.kinetic.spi.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A flat key/value object store: a local directory, a GCS bucket or an S3 bucket.
 *
 * <p>Keys are {@code /}-separated relative paths ({@code jobs/<id>/job.json}). Every write is atomic:
 * a reader sees the whole old object, the whole new object, or nothing, never a partial one. Stores
 * cannot append, so growing data (logs) is written as a series of objects.
 *
 * <p>Implementations are found by URI scheme through {@link BlobStoreProvider} and
 * {@link BlobStores#open(URI)}:
 * <pre>{@code
 * try (BlobStore store = BlobStores.open(URI.create("file:/tmp/kinetic-store"))) {
 *     store.put("jobs/a/job.json", bytes);
 * }
 * }</pre>
 * All methods throw {@link StoreException} (unchecked) on failure; a missing object is reported through
 * the return value ({@link Optional#empty()}, {@code false}) or {@link BlobNotFoundException}.
 */
public interface BlobStore extends AutoCloseable {

    /** The URI this store was opened with, e.g. {@code s3://bucket/prefix}. */
    URI uri();

    /** Writes {@code data} to {@code key} atomically, replacing any existing object. */
    void put(String key, byte[] data);

    /**
     * Streams the file at {@code source} to {@code key} atomically without reading it whole into memory,
     * reporting progress to {@code listener}.
     */
    void put(String key, Path source, TransferListener listener);

    /** Like {@link #put(String, Path, TransferListener)} without progress. */
    default void put(String key, Path source) {
        put(key, source, TransferListener.NONE);
    }

    /**
     * Writes {@code data} to {@code key} only if no object exists there.
     *
     * @return {@code true} if this call created the object, {@code false} if one already existed
     *     (exactly one of several concurrent callers gets {@code true})
     */
    boolean putIfAbsent(String key, byte[] data);

    /** Reads the whole object, or empty if there is none. */
    Optional<byte[]> get(String key);

    /**
     * Opens the object for streaming. The caller closes the stream.
     *
     * @throws BlobNotFoundException if there is no object at {@code key}
     */
    InputStream open(String key);

    /**
     * Reads up to {@code length} bytes starting at {@code offset}; fewer when the object ends first, an
     * empty array when {@code offset} is at or past its end.
     *
     * @throws BlobNotFoundException if there is no object at {@code key}
     */
    byte[] getRange(String key, long offset, int length);

    /** Size and modification time of the object, or empty if there is none. */
    Optional<BlobInfo> stat(String key);

    /** Whether an object exists at {@code key}. */
    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /**
     * Every object whose key starts with {@code prefix} (recursively), sorted by key. Implementations
     * page through the backing service; the result can hold tens of thousands of entries.
     */
    List<BlobInfo> list(String prefix);

    /**
     * Whether any object's key starts with {@code prefix} (which may be empty or end mid-segment, as for
     * {@link #list}). Remote stores answer with one listing request for one key; the default lists every key.
     */
    default boolean hasObjectsUnder(String prefix) {
        return !list(prefix).isEmpty();
    }

    /**
     * The immediate "sub-directories" under {@code prefix} (which should end in {@code /}): the distinct
     * key segments up to the next {@code /}, each returned with the prefix and a trailing {@code /}, sorted.
     */
    List<String> listPrefixes(String prefix);

    /** Deletes the object if present; returns whether it was there. */
    boolean delete(String key);

    /** Deletes every object under {@code prefix}; returns how many were deleted. */
    int deletePrefix(String prefix);

    /** Downloads the object to {@code target} (written atomically), streaming, reporting progress. */
    default void download(String key, Path target, TransferListener listener) {
        Path tmp = target.resolveSibling(
                target.getFileName() + ".part-" + ProcessHandle.current().pid());
        try (InputStream in = open(key)) {
            java.nio.file.Files.createDirectories(target.toAbsolutePath().getParent());
            long total = stat(key).map(BlobInfo::size).orElse(-1L);
            try (var out = java.nio.file.Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[64 * 1024];
                long done = 0;
                int n;
                listener.started(key, total);
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    done += n;
                    listener.progressed(key, done, total);
                }
                listener.finished(key, done);
            }
            java.nio.file.Files.move(
                    tmp,
                    target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temp file is ours; a leftover is harmless and named as partial
            }
            throw new StoreException(
                    "could not download " + key + " from " + uri() + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A local filesystem path that holds the object at {@code key}, for stores backed by a local directory;
     * empty for remote stores. Lets local components read in place instead of copying.
     */
    default Optional<Path> localPath(String key) {
        return Optional.empty();
    }

    /**
     * Checks that the store can be reached and read, so misconfiguration is reported before anything is
     * submitted. The message of the exception names the bucket or directory and the credential in use.
     */
    void checkAccess();

    @Override
    void close();
}
