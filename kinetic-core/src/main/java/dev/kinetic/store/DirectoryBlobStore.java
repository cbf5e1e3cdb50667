package dev.kinetic.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} in a local directory ({@code file:/path}). Writes go to a temporary file in the same
 * filesystem and are renamed into place, so readers never see a partial object; {@link #putIfAbsent} uses a
 * hard link, which the kernel refuses atomically when the name exists.
 */
public final class DirectoryBlobStore implements BlobStore {
    /**
     * Directories with this many entries or more are listed on all cores (all jobs: 10 000 entries). Not lower:
     * for a few hundred entries (a 1 GiB log's segments) starting the parallel walk costs more than it saves.
     */
    private static final int PARALLEL_LISTING_FROM = 1024;
    /** Not a lambda: the agent lists with this store on its start-up path (see Agent). */
    private static final Comparator<BlobInfo> BY_KEY = new Comparator<>() {
        @Override
        public int compare(BlobInfo a, BlobInfo b) {
            return a.key().compareTo(b.key());
        }
    };
    private static final String TEMP_DIR = ".tmp";

    private final Path root;
    private final URI uri;

    public DirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.uri = this.root.toUri();
        try {
            Files.createDirectories(this.root.resolve(TEMP_DIR));
        } catch (IOException e) {
            throw new StoreException("cannot create store directory " + this.root + ": " + e.getMessage()
                    + ". Choose a writable directory with KINETIC_STORE=file:/some/dir.", e);
        }
    }

    /** The directory holding the objects. */
    public Path root() {
        return root;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public void put(String key, byte[] data) {
        Path tmp = tempFile();
        try {
            Files.write(tmp, data);
            moveIntoPlace(tmp, key);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("write", key, e);
        }
    }

    @Override
    public void put(String key, Path source, TransferListener listener) {
        Path tmp = tempFile();
        try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(tmp)) {
            long total = Files.size(source);
            listener.started(key, total);
            byte[] buffer = new byte[256 * 1024];
            long done = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                done += n;
                listener.progressed(key, done, total);
            }
            out.close();
            moveIntoPlace(tmp, key);
            listener.finished(key, done);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("upload " + source + " to", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        Path target = path(key);
        Path tmp = tempFile();
        try {
            Files.write(tmp, data);
            Files.createDirectories(target.getParent());
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw failure("create", key, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // a key that names a "directory" is a prefix of other keys, not an object, as on a bucket
            if (Files.isDirectory(path(key))) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        if (Files.isDirectory(path(key))) {
            throw new BlobNotFoundException(uri.toString(), key);
        }
        try {
            return Files.newInputStream(path(key));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(uri.toString(), key);
        } catch (IOException e) {
            throw failure("open", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + ", " + length);
        }
        try (RandomAccessFile file = new RandomAccessFile(path(key).toFile(), "r")) {
            long size = file.length();
            if (offset >= size) {
                return new byte[0];
            }
            int n = (int) Math.min(length, size - offset);
            byte[] out = new byte[n];
            file.seek(offset);
            file.readFully(out);
            return out;
        } catch (java.io.FileNotFoundException e) {
            throw new BlobNotFoundException(uri.toString(), key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path(key), BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        Path start = directoryOf(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<BlobInfo> out = new ArrayList<>();
        try {
            List<Path> children = new ArrayList<>();
            try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(start)) {
                for (Path p : entries) {
                    children.add(p);
                }
            }
            if (children.size() < PARALLEL_LISTING_FROM) {
                Files.walkFileTree(start, new Lister(prefix, start, out));
            } else {
                // Listing all jobs walks three entries per job: the subtrees go to all cores.
                java.util.concurrent.ConcurrentLinkedQueue<BlobInfo> found = new java.util.concurrent.ConcurrentLinkedQueue<>();
                children.parallelStream().forEach(child -> {
                    List<BlobInfo> mine = new ArrayList<>();
                    try {
                        Files.walkFileTree(child, new Lister(prefix, start, mine));
                    } catch (NoSuchFileException e) {
                        return; // deleted while we walked: not listed
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    found.addAll(mine);
                });
                out.addAll(found);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", prefix, e);
        } catch (java.io.UncheckedIOException e) {
            throw failure("list", prefix, e.getCause());
        }
        out.sort(BY_KEY);
        return out;
    }

    /**
     * Collects the files under a prefix. walkFileTree hands over each file's attributes with the directory entry:
     * one system call per file fewer than walking and then reading attributes.
     */
    private final class Lister extends java.nio.file.SimpleFileVisitor<Path> {
        private final String prefix;
        private final Path start;
        private final List<BlobInfo> out;

        Lister(String prefix, Path start, List<BlobInfo> out) {
            this.prefix = prefix;
            this.start = start;
            this.out = out;
        }

        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String key = keyOf(dir);
            if (key != null && !prefix.startsWith(key + "/") && !(key + "/").startsWith(prefix)
                    && !key.startsWith(prefix)) {
                return java.nio.file.FileVisitResult.SKIP_SUBTREE;
            }
            return key == null && !dir.equals(root) && !dir.equals(start)
                    ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String key = keyOf(file);
            if (key != null && attrs.isRegularFile() && key.startsWith(prefix)) {
                out.add(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
            }
            return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return java.nio.file.FileVisitResult.CONTINUE; // deleted while we walked: not listed
            }
            throw e;
        }
    }

    @Override
    public List<String> listPrefixes(String prefix) {
        Path start = directoryOf(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> children = Files.list(start)) {
            children.forEach(p -> {
                String key = keyOf(p);
                if (key != null && key.startsWith(prefix) && Files.isDirectory(p)) {
                    out.add(key + "/");
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", prefix, e);
        }
        return new ArrayList<>(out);
    }

    @Override
    public boolean delete(String key) {
        try {
            boolean deleted = Files.deleteIfExists(path(key));
            pruneEmptyParents(path(key).getParent());
            return deleted;
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public int deletePrefix(String prefix) {
        int count = 0;
        for (BlobInfo info : list(prefix)) {
            try {
                if (Files.deleteIfExists(path(info.key()))) {
                    count++;
                }
                pruneEmptyParents(path(info.key()).getParent());
            } catch (IOException e) {
                throw failure("delete", info.key(), e);
            }
        }
        return count;
    }

    @Override
    public Optional<Path> localPath(String key) {
        return Optional.of(path(key));
    }

    @Override
    public void checkAccess() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new StoreException("store directory " + root + " is not a writable directory. "
                    + "Fix its permissions or choose another with KINETIC_STORE=file:/some/dir.");
        }
    }

    @Override
    public void close() {
        // nothing held open
    }

    @Override
    public String toString() {
        return "DirectoryBlobStore[" + root + "]";
    }

    /** Maps a key to its file, refusing keys that could escape the root. */
    Path path(String key) {
        StoreKeys.validate(key);
        return root.resolve(key);
    }

    private Path directoryOf(String prefix) {
        int slash = prefix.lastIndexOf('/');
        if (slash < 0) {
            return root;
        }
        return path(prefix.substring(0, slash));
    }

    private String keyOf(Path p) {
        Path rel = root.relativize(p);
        String key = rel.toString().replace('\\', '/');
        if (key.isEmpty() || key.equals(TEMP_DIR) || key.startsWith(TEMP_DIR + "/")) {
            return null;
        }
        return key;
    }

    private void moveIntoPlace(Path tmp, String key) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the store directory does not support atomic rename", e);
        }
    }

    private void pruneEmptyParents(Path dir) {
        Path current = dir;
        while (current != null && current.startsWith(root) && !current.equals(root)) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return;
            }
            current = current.getParent();
        }
    }

    private Path tempFile() {
        return root.resolve(TEMP_DIR).resolve(UUID.randomUUID() + ".part");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray temp file is invisible to readers and harmless
        }
    }

    private StoreException failure(String action, String key, Throwable e) {
        return new StoreException("could not " + action + " " + key + " in store " + root + ": " + e, e);
    }
}
