package dev.kinetic.store.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobNotFoundException;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreException;
import dev.kinetic.spi.store.StoreKeys;
import dev.kinetic.spi.store.TransferListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a Cloud Storage bucket ({@code gs://bucket[/prefix]}), over Google's JSON API.
 *
 * <pre>{@code
 * // Application Default Credentials
 * try (BlobStore store = BlobStores.open(URI.create("gs://my-bucket/kinetic"))) {
 *     store.checkAccess();
 *     store.put("jobs/a/job.json", bytes);
 * }
 * // an emulator or private endpoint
 * BlobStore local = BlobStores.open(URI.create("gs://kinetic"), Map.of("KINETIC_GCS_ENDPOINT", "http://127.0.0.1:4443"));
 * }</pre>
 *
 * <p>Small writes are single uploads; files are streamed through a resumable upload in chunks of
 * {@link GcsSettings#chunkSize()}, and the object exists only once the last chunk is in, so readers never see a
 * partial object; an upload is done only when the object holds the file's bytes (size and CRC32C checked, see
 * {@link FileUpload}). {@link #putIfAbsent} uses {@code ifGenerationMatch=0}. Transient failures (5xx, 408, 429,
 * connection errors) are retried a bounded number of times with exponential backoff; other 4xx are not. A write or
 * delete refused with 429 because the object name changed less than a second ago is tried again after at least a
 * second ({@link MutationRetry}).
 *
 * <p>One caveat of conditional writes over an unreliable network: if a {@code putIfAbsent} succeeds on the server
 * but its response is lost, the retry sees the object and reports {@code false}.
 */
public final class GcsBlobStore implements BlobStore {
    static final String CONTENT_TYPE = "application/octet-stream";
    private static final Logger LOG = LoggerFactory.getLogger(GcsBlobStore.class);
    private static final int BUFFER = 1024 * 1024;
    /** Attempts of a write or delete refused for the object's write rate (see {@link MutationRetry}). */
    private static final int MUTATION_ATTEMPTS = 5;

    private final GcsLocation location;
    private final GcsSettings settings;
    private final GcsConnection connection;
    private final Storage storage;
    private final MutationRetry mutations = new MutationRetry(MUTATION_ATTEMPTS);

    private GcsBlobStore(GcsLocation location, GcsSettings settings, GcsConnection connection) {
        this.location = location;
        this.settings = settings;
        this.connection = connection;
        this.storage = connection.storage();
    }

    /** Opens {@code gs://bucket[/prefix]} with settings from {@code environment} (see {@link GcsSettings}). */
    public static GcsBlobStore open(URI uri, Map<String, String> environment) {
        return open(GcsLocation.parse(uri), GcsSettings.fromEnvironment(environment));
    }

    /** Opens the store at {@code location} with explicit settings. */
    public static GcsBlobStore open(GcsLocation location, GcsSettings settings) {
        GcsConnection connection = GcsConnection.open(settings);
        LOG.debug(
                "opened GCS store {} at {} with {}",
                location,
                connection.endpointDescription(),
                connection.credentialsDescription());
        return new GcsBlobStore(location, settings, connection);
    }

    @Override
    public URI uri() {
        return location.uri();
    }

    /** The bucket and prefix. */
    public GcsLocation location() {
        return location;
    }

    @Override
    public void put(String key, byte[] data) {
        com.google.cloud.storage.BlobInfo info = info(key);
        call("write", key, () -> mutations.runUnchecked(() -> storage.create(info, data)));
    }

    @Override
    public void put(String key, Path source, TransferListener listener) {
        com.google.cloud.storage.BlobInfo info = info(key);
        try {
            long size = Files.size(source);
            listener.started(key, size);
            FileUpload upload = new FileUpload(storage, info, settings.chunkSize(), source, key, listener);
            mutations.run(upload::send);
            listener.finished(key, size);
        } catch (IOException | BaseServiceException e) {
            throw failure("upload " + source + " to", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        com.google.cloud.storage.BlobInfo info = info(key);
        try {
            mutations.runUnchecked(() -> storage.create(info, data, BlobTargetOption.doesNotExist()));
            return true;
        } catch (StorageException e) {
            if (e.getCode() == 412) {
                return false;
            }
            throw failure("create", key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        BlobId id = id(key);
        try {
            return Optional.of(storage.readAllBytes(id));
        } catch (StorageException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        Blob blob = call("open", key, () -> storage.get(id(key)));
        if (blob == null) {
            throw new BlobNotFoundException(uri().toString(), key);
        }
        // Pinned to the generation just seen, so a concurrent overwrite fails the read instead of mixing objects.
        ReadChannel reader = storage.reader(BlobId.of(location.bucket(), blob.getName(), blob.getGeneration()));
        reader.setChunkSize(2 * 1024 * 1024);
        return Channels.newInputStream(reader);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + ", " + length);
        }
        if (length == 0) {
            if (!exists(key)) {
                throw new BlobNotFoundException(uri().toString(), key);
            }
            return new byte[0];
        }
        try (ReadChannel reader = storage.reader(id(key))) {
            reader.setChunkSize(Math.min(length, 2 * 1024 * 1024));
            reader.seek(offset);
            reader.limit(offset + length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, BUFFER));
            ByteBuffer buffer = ByteBuffer.allocate(Math.min(length, 64 * 1024));
            int n;
            while (out.size() < length && (n = reader.read(buffer)) >= 0) {
                out.write(buffer.array(), 0, n);
                buffer.clear();
            }
            return out.toByteArray();
        } catch (IOException | BaseServiceException e) {
            int code = statusOf(e);
            if (code == 404) {
                throw new BlobNotFoundException(uri().toString(), key);
            }
            if (code == 416) {
                return new byte[0];
            }
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        Blob blob = call("stat", key, () -> storage.get(id(key)));
        return Optional.ofNullable(blob).map(b -> toInfo(key, b));
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        List<BlobInfo> out = new ArrayList<>();
        call("list", prefix, () -> {
            for (Blob blob : page(prefix).iterateAll()) {
                out.add(toInfo(location.storeKey(blob.getName()), blob));
            }
            return null;
        });
        out.sort(Comparator.comparing(BlobInfo::key));
        return out;
    }

    /** One listing request for one name, however many objects there are. */
    @Override
    public boolean hasObjectsUnder(String prefix) {
        return call(
                "list",
                prefix,
                () -> storage.list(
                                location.bucket(),
                                BlobListOption.prefix(location.objectName(checkPrefix(prefix))),
                                BlobListOption.pageSize(1))
                        .getValues()
                        .iterator()
                        .hasNext());
    }

    @Override
    public List<String> listPrefixes(String prefix) {
        List<String> out = new ArrayList<>();
        call("list", prefix, () -> {
            for (Blob blob : page(prefix, BlobListOption.currentDirectory()).iterateAll()) {
                if (blob.isDirectory()) {
                    out.add(location.storeKey(blob.getName()));
                }
            }
            return null;
        });
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Override
    public boolean delete(String key) {
        BlobId id = id(key);
        return call("delete", key, () -> mutations.runUnchecked(() -> storage.delete(id)));
    }

    @Override
    public int deletePrefix(String prefix) {
        return call(
                "delete",
                prefix + "*",
                () -> new PrefixDeletion(storage, location.bucket(), mutations).deleteAll(page(prefix)));
    }

    @Override
    public void checkAccess() {
        try {
            // Listing needs only object permissions (storage.objects.list), which every role that can use the
            // store has; reading bucket metadata would need more.
            storage.list(location.bucket(), BlobListOption.pageSize(1), BlobListOption.prefix(location.prefix()));
        } catch (BaseServiceException e) {
            throw new StoreException(new AccessProblem(location, connection, e).message(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "GcsBlobStore[" + uri() + "]";
    }

    private Page<Blob> page(String prefix, BlobListOption... extra) {
        List<BlobListOption> options = new ArrayList<>(List.of(
                BlobListOption.prefix(location.objectName(checkPrefix(prefix))),
                BlobListOption.pageSize(settings.pageSize())));
        options.addAll(List.of(extra));
        return storage.list(location.bucket(), options.toArray(BlobListOption[]::new));
    }

    private com.google.cloud.storage.BlobInfo info(String key) {
        return com.google.cloud.storage.BlobInfo.newBuilder(id(key))
                .setContentType(CONTENT_TYPE)
                .build();
    }

    private BlobId id(String key) {
        return BlobId.of(location.bucket(), location.objectName(StoreKeys.validate(key)));
    }

    private static BlobInfo toInfo(String key, Blob blob) {
        Instant updated = blob.getUpdateTimeOffsetDateTime() == null
                ? Instant.EPOCH
                : blob.getUpdateTimeOffsetDateTime().toInstant();
        return new BlobInfo(key, blob.getSize() == null ? 0 : blob.getSize(), updated);
    }

    /** A listing prefix may be empty or end mid-segment, but must not climb out with {@code ..}. */
    private static String checkPrefix(String prefix) {
        if (!prefix.isEmpty()) {
            StoreKeys.validate(prefix);
        }
        return prefix;
    }

    private <T> T call(String action, String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (BaseServiceException e) {
            throw failure(action, key, e);
        }
    }

    private StoreException failure(String action, String key, Exception e) {
        int code = statusOf(e);
        String reason = code > 0
                ? code + " " + e.getMessage()
                : e.getMessage() + " (endpoint " + connection.endpointDescription() + ")";
        if (code == 401 || code == 403) {
            reason += " (credentials: " + connection.credentialsDescription() + ")";
        }
        return new StoreException("could not " + action + " " + key + " in store " + uri() + ": " + reason, e);
    }

    /** The HTTP status behind a client exception, also when a channel wrapped it in an IOException; 0 if none. */
    static int statusOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BaseServiceException s && s.getCode() > 0) {
                return s.getCode();
            }
        }
        return 0;
    }
}
