package dev.kinetic.internal.store;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobNotFoundException;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreException;
import dev.kinetic.spi.store.StoreKeys;
import dev.kinetic.spi.store.TransferListener;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link BlobStore} in a local directory ({@code file:/path}). Writes go to a temporary file in the same
 * filesystem and are renamed into place, so readers never see a partial object; {@link #putIfAbsent} uses a
 * hard link, which the kernel refuses atomically when the name exists.
 */
public final class DirectoryBlobStore implements BlobStore {
    private static final String TEMP_DIR = ".tmp";

    private final Path root;
    private final URI uri;
    private final DirectoryListing listing;

    public DirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.uri = this.root.toUri();
        this.listing = new DirectoryListing(this.root, TEMP_DIR);
        try {
            Files.createDirectories(this.root.resolve(TEMP_DIR));
        } catch (IOException e) {
            throw new StoreException(
                    "cannot create store directory " + this.root + ": " + e.getMessage()
                            + ". Choose a writable directory with KINETIC_STORE=file:/some/dir.",
                    e);
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
        try (InputStream in = Files.newInputStream(source);
                OutputStream out = Files.newOutputStream(tmp)) {
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
            return Optional.of(
                    new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        try {
            return listing.list(directoryOf(prefix), prefix);
        } catch (IOException e) {
            throw failure("list", prefix, e);
        }
    }

    @Override
    public List<String> listPrefixes(String prefix) {
        try {
            return listing.listPrefixes(directoryOf(prefix), prefix);
        } catch (IOException e) {
            throw failure("list", prefix, e);
        }
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
