package dev.kinetic.internal.submit;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreException;
import dev.kinetic.spi.store.TransferListener;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The store as a dry run sees it: only its URI. Everything "exists" already, so packaging hashes the classpath and
 * uploads nothing; any other use is refused, so a dry run can neither read nor write the real store (nor needs its
 * credentials).
 */
final class DryRunStore implements BlobStore {
    private final URI uri;

    DryRunStore(URI uri) {
        this.uri = uri;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public boolean exists(String key) {
        return true;
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return Optional.empty();
    }

    @Override
    public void put(String key, byte[] data) {
        throw refused("write " + key);
    }

    @Override
    public void put(String key, Path source, TransferListener listener) {
        throw refused("write " + key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        throw refused("write " + key);
    }

    @Override
    public Optional<byte[]> get(String key) {
        throw refused("read " + key);
    }

    @Override
    public InputStream open(String key) {
        throw refused("read " + key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        throw refused("read " + key);
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        throw refused("list " + prefix);
    }

    @Override
    public List<String> listPrefixes(String prefix) {
        throw refused("list " + prefix);
    }

    @Override
    public boolean delete(String key) {
        throw refused("delete " + key);
    }

    @Override
    public int deletePrefix(String prefix) {
        throw refused("delete " + prefix);
    }

    @Override
    public void checkAccess() {
        // a dry run never touches the store
    }

    @Override
    public void close() {}

    private StoreException refused(String what) {
        return new StoreException("a dry run does not touch the store (it would " + what + " in " + uri + "); jobs "
                + "with local Data cannot be shown by a dry run, as their data would have to be uploaded first");
    }
}
