package dev.kinetic;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Files a job reads: a local file or directory shipped with the job, or objects already in a store. Use it as
 * (part of) a function's argument; in the job, {@link #path()} is a local path to the same files.
 * <pre>{@code
 * var count = Kinetic.remote((Data corpus) -> Files.list(corpus.path()).count());
 * count.call(Data.of(Path.of("corpus/")));
 * }</pre>
 * Local data is uploaded content-addressed, once: a second job with the same files uploads nothing.
 */
public final class Data implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Set in the task: where the agent placed every {@code Data} of the job. */
    public static final String DATA_DIR_ENV = "KINETIC_DATA_DIR";

    private final transient Path localSource;
    private final String treeSha256;
    private final String storeUri;
    private final String name;
    private final boolean directory;

    private Data(Path localSource, String treeSha256, String storeUri, String name, boolean directory) {
        this.localSource = localSource;
        this.treeSha256 = treeSha256;
        this.storeUri = storeUri;
        this.name = name;
        this.directory = directory;
    }

    /**
     * A local file or directory, uploaded when the job is submitted.
     *
     * @throws KineticException if it does not exist
     */
    public static Data of(Path path) {
        Objects.requireNonNull(path, "path");
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new KineticException("data " + path + " does not exist; pass an existing file or directory");
        }
        return new Data(
                abs,
                null,
                null,
                abs.getFileName() == null ? "root" : abs.getFileName().toString(),
                Files.isDirectory(abs));
    }

    /**
     * Data already in a store, downloaded by the agent: one object ({@code s3://b/train.csv}, {@code gs://b/model.onnx},
     * {@code file:/data/config.json}), whose {@link #path()} in the job is that file under its own name; or every
     * object under a prefix ending in {@code /} ({@code s3://b/shards/}), whose {@link #path()} is a directory holding
     * them at their relative paths. A URI without the trailing slash that names no object but a prefix is taken as
     * that prefix. Submitting checks the URI: one that matches no object fails the submission, naming it.
     *
     * @throws KineticException if the URI has no scheme, is not absolute, or ends in {@code .} or {@code ..}
     */
    public static Data of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null || uri.isOpaque()) {
            throw new KineticException(
                    "data URI " + uri + " is not an absolute URI with a scheme; use s3://bucket/key, "
                            + "gs://bucket/key or file:/absolute/path (Path.toUri() gives one)");
        }
        String s = uri.toString();
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.isEmpty() || path.endsWith("/")) {
            return new Data(null, null, path.isEmpty() ? s + "/" : s, "data", true);
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.equals(".") || name.equals("..")) {
            throw new KineticException(
                    "data URI " + uri + " ends in '" + name + "'; name an object, or a prefix ending in /");
        }
        // One object, or the prefix of that name if there is no such object: submission settles which.
        return new Data(null, null, s, name, false);
    }

    /**
     * Where the files are: in the job, the agent's local copy; before submission, the original path.
     *
     * @throws KineticException for store data outside a job
     */
    public Path path() {
        String dir = System.getenv(DATA_DIR_ENV);
        if (dir != null && (treeSha256 != null || storeUri != null)) {
            Path root = Path.of(dir).resolve(key());
            return directory ? root : root.resolve(name);
        }
        if (localSource != null) {
            return localSource;
        }
        throw new KineticException("data " + (storeUri != null ? storeUri : name)
                + " has a local path only inside a job (" + DATA_DIR_ENV + " is not set)");
    }

    /** The directory name the agent uses for this data under {@code KINETIC_DATA_DIR}. */
    public String key() {
        if (treeSha256 != null) {
            return treeSha256;
        }
        if (storeUri != null) {
            return "u-" + dev.kinetic.spi.Hashing.sha256(storeUri.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        throw new IllegalStateException("local data " + localSource + " has not been uploaded");
    }

    /** The local file or directory this was made from, before upload; null for store data. */
    public Path localSource() {
        return localSource;
    }

    public String treeSha256() {
        return treeSha256;
    }

    public String storeUri() {
        return storeUri;
    }

    public String name() {
        return name;
    }

    public boolean isDirectory() {
        return directory;
    }

    /** This data once uploaded as the tree with this hash (what the job receives). */
    public Data uploadedAs(String treeSha256) {
        return new Data(null, treeSha256, null, name, directory);
    }

    @Override
    public String toString() {
        return "Data[" + (localSource != null ? localSource : storeUri != null ? storeUri : treeSha256) + "]";
    }
}
