package dev.kinetic.internal.data;

import dev.kinetic.Data;
import dev.kinetic.KineticException;
import dev.kinetic.internal.data.DataMaterializer.DataException;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobNotFoundException;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.spi.store.StoreKeys;
import dev.kinetic.spi.store.TransferListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Data named by a store URI ({@code Data.of(URI)}): one object ({@code s3://bucket/train.csv}) or every object under
 * a prefix ({@code s3://bucket/shards/}, with the trailing slash). A URI without the slash names the object with that
 * key, or, when there is none, the prefix with a slash added.
 *
 * <p>Submission settles which it is ({@link #resolve}) and refuses a URI that matches no object, naming it; the
 * agent then places that one object, or the prefix's objects, under the data directory ({@link #place}). A job never
 * gets an empty directory for data that is not there. {@code file:} URIs are read straight from the filesystem.
 *
 * <p>{@link #place} runs in the agent at every job start: no lambdas, method references or streams on that path.
 */
public final class StoreData {
    private StoreData() {}

    /**
     * The data as the job receives it: unchanged when its URI names an object or a prefix with objects, the prefix
     * form when a URI without a trailing slash names no object but a prefix.
     *
     * @param stores the session's store client for a store URI ({@code s3://bucket}, {@code gs://bucket})
     * @throws KineticException naming the URI when it matches no object
     */
    public static Data resolve(Data data, Function<URI, BlobStore> stores) {
        String uri = data.storeUri();
        URI u = URI.create(uri);
        boolean prefix = isPrefix(uri);
        if ("file".equals(u.getScheme())) {
            Path path = Path.of(u);
            if (!prefix && Files.isRegularFile(path)) {
                return data;
            }
            if (hasFiles(path)) {
                return prefix ? data : Data.of(URI.create(uri + "/"));
            }
        } else {
            BlobStore store = stores.apply(storeOf(u));
            String key = keyOf(u);
            if (!prefix && store.exists(key)) {
                return data;
            }
            String under = prefix ? key : key + "/";
            if (store.hasObjectsUnder(under)) {
                return prefix ? data : Data.of(URI.create(uri + "/"));
            }
        }
        throw new KineticException("data " + uri + " matches no object: "
                + (prefix
                        ? "there is nothing under that prefix"
                        : "there is no object with that name and nothing under " + uri + "/")
                + ". Check the bucket, path and spelling, and that the data was uploaded before the job is submitted");
    }

    /**
     * Places what {@code uri} names under {@code into}: the one object as {@code into/<its name>}, or every object
     * under the prefix at its relative path. Each file is made read-only.
     *
     * @throws DataException if there is nothing there (any more), or an object name would leave {@code into}
     */
    static void place(String uri, Path into, Map<String, String> environment) throws DataException, IOException {
        URI u = URI.create(uri);
        boolean file = "file".equals(u.getScheme());
        if (!isPrefix(uri)) {
            Path target = into.resolve(nameOf(u));
            if (file) {
                copyFile(uri, Path.of(u), target);
            } else {
                try (BlobStore source = BlobStores.open(storeOf(u), environment)) {
                    source.download(keyOf(u), target, TransferListener.NONE);
                } catch (BlobNotFoundException e) {
                    throw new DataException("data " + uri + " is no object any more (it was one when the job was "
                            + "submitted); upload it again and resubmit");
                }
            }
            target.toFile().setWritable(false, false);
            return;
        }
        String prefix = file ? "" : keyOf(u);
        URI storeUri = file ? u : storeOf(u);
        try (BlobStore source = BlobStores.open(storeUri, environment)) {
            List<BlobInfo> objects = source.list(prefix);
            if (objects.isEmpty()) {
                throw new DataException("data " + uri + " matches no object any more (it did when the job was "
                        + "submitted); upload it again and resubmit");
            }
            for (BlobInfo b : objects) {
                String rel = b.key().substring(prefix.length());
                try {
                    StoreKeys.validate(rel);
                } catch (IllegalArgumentException bad) {
                    throw new DataException("data " + uri + " has an unsafe object name '" + b.key() + "'; refused");
                }
                source.download(b.key(), into.resolve(rel), TransferListener.NONE);
                into.resolve(rel).toFile().setWritable(false, false);
            }
        }
    }

    /** A URI ending in {@code /} names a prefix ({@code Data.of} adds the slash to a URI with an empty path). */
    static boolean isPrefix(String uri) {
        return uri.endsWith("/");
    }

    /** {@code s3://bucket/a/b} is in the store {@code s3://bucket}. */
    private static URI storeOf(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    /** {@code s3://bucket/a/b} is the key {@code a/b} of its store (percent-escapes decoded). */
    private static String keyOf(URI u) {
        String path = u.getPath() == null ? "" : u.getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The last segment of the path: the file name the object gets in the job. */
    private static String nameOf(URI u) {
        String path = u.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void copyFile(String uri, Path source, Path target) throws DataException, IOException {
        if (!Files.isRegularFile(source)) {
            throw new DataException("data " + uri + " is no file any more (it was one when the job was submitted)");
        }
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean hasFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            throw new KineticException("cannot read data directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
