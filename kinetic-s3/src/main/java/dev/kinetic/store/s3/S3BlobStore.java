package dev.kinetic.store.s3;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobNotFoundException;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreException;
import dev.kinetic.spi.store.StoreKeys;
import dev.kinetic.spi.store.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in an S3 bucket ({@code s3://bucket[/prefix]}), on AWS or any S3-compatible server.
 *
 * <pre>{@code
 * // AWS: credentials and region from the SDK's default chains
 * try (BlobStore store = BlobStores.open(URI.create("s3://my-bucket/kinetic"))) {
 *     store.checkAccess();
 *     store.put("jobs/a/job.json", bytes);
 * }
 * // an S3-compatible server, addressed path-style
 * BlobStore local = BlobStores.open(URI.create("s3://kinetic"),
 *         Map.of("KINETIC_S3_ENDPOINT", "http://127.0.0.1:9090", "AWS_ACCESS_KEY_ID", "...", "AWS_SECRET_ACCESS_KEY", "..."));
 * }</pre>
 *
 * <p>Writes are single PUTs, or for files of {@link S3Settings#multipartThreshold()} and more a multipart upload
 * that is aborted on failure, so readers never see a partial object. {@link #putIfAbsent} uses
 * {@code If-None-Match: *}. Transient failures (5xx, throttling, connection errors) are retried a bounded number of
 * times with exponential backoff; other 4xx responses are not.
 *
 * <p>One caveat of conditional writes over an unreliable network: if a {@code putIfAbsent} succeeds on the server
 * but its response is lost, the retry sees the object and reports {@code false}.
 */
public final class S3BlobStore implements BlobStore {
    static final String CONTENT_TYPE = "application/octet-stream";
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    private static final int CONFLICT_RETRIES = 5;

    private final S3Location location;
    private final S3Settings settings;
    private final S3Connection connection;
    private final S3Client s3;

    private S3BlobStore(S3Location location, S3Settings settings, S3Connection connection) {
        this.location = location;
        this.settings = settings;
        this.connection = connection;
        this.s3 = connection.client();
    }

    /** Opens {@code s3://bucket[/prefix]} with settings from {@code environment} (see {@link S3Settings}). */
    public static S3BlobStore open(URI uri, Map<String, String> environment) {
        return open(S3Location.parse(uri), S3Settings.fromEnvironment(environment));
    }

    /** Opens the store at {@code location} with explicit settings. */
    public static S3BlobStore open(S3Location location, S3Settings settings) {
        S3Connection connection = S3Connection.open(settings);
        LOG.debug("opened S3 store {} at {}", location, connection.endpointDescription());
        return new S3BlobStore(location, settings, connection);
    }

    @Override
    public URI uri() {
        return location.uri();
    }

    /** The bucket and prefix. */
    public S3Location location() {
        return location;
    }

    @Override
    public void put(String key, byte[] data) {
        String objectKey = objectKey(key);
        call(
                "write",
                key,
                () -> s3.putObject(
                        b -> b.bucket(location.bucket()).key(objectKey).contentType(CONTENT_TYPE),
                        RequestBody.fromBytes(data)));
    }

    @Override
    public void put(String key, Path source, TransferListener listener) {
        String objectKey = objectKey(key);
        long size;
        try {
            size = Files.size(source);
        } catch (IOException e) {
            throw new StoreException(
                    "could not upload " + source + " to " + key + " in store " + uri() + ": cannot read the file: " + e,
                    e);
        }
        listener.started(key, size);
        UploadProgress progress = new UploadProgress(key, size, listener);
        try {
            if (size >= settings.multipartThreshold()) {
                new MultipartUpload(s3, location.bucket(), objectKey)
                        .upload(source, size, settings.partSize(), progress);
            } else {
                try (FileSlice body = new FileSlice(source, 0, size, progress)) {
                    s3.putObject(
                            b -> b.bucket(location.bucket()).key(objectKey).contentType(CONTENT_TYPE),
                            RequestBody.fromContentProvider(body, size, CONTENT_TYPE));
                }
            }
        } catch (SdkException e) {
            throw failure("upload " + source + " to", key, e);
        } catch (UncheckedIOException e) {
            throw new StoreException(
                    "could not upload " + source + " to " + key + " in store " + uri() + ": " + e.getMessage(), e);
        }
        progress.reached(size);
        listener.finished(key, size);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        String objectKey = objectKey(key);
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(
                        b -> b.bucket(location.bucket())
                                .key(objectKey)
                                .contentType(CONTENT_TYPE)
                                .ifNoneMatch("*"),
                        RequestBody.fromBytes(data));
                return true;
            } catch (AwsServiceException e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                // 409 ConditionalRequestConflict: another conditional write to the key is in flight; once it settles
                // a retry gets a definite answer.
                if (e.statusCode() == 409 && attempt < CONFLICT_RETRIES) {
                    pause(attempt);
                    continue;
                }
                throw failure("create", key, e);
            } catch (SdkException e) {
                throw failure("create", key, e);
            }
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        String objectKey = objectKey(key);
        try {
            return Optional.of(
                    s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(objectKey))
                            .asByteArray());
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        String objectKey = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(location.bucket()).key(objectKey));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                throw new BlobNotFoundException(uri().toString(), key);
            }
            throw failure("open", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + ", " + length);
        }
        String objectKey = objectKey(key);
        if (length == 0) {
            if (!exists(key)) {
                throw new BlobNotFoundException(uri().toString(), key);
            }
            return new byte[0];
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try (ResponseInputStream<GetObjectResponse> in =
                s3.getObject(b -> b.bucket(location.bucket()).key(objectKey).range(range))) {
            byte[] out = in.readNBytes(length);
            Long sent = in.response().contentLength();
            if (sent != null && sent > out.length) {
                // The server ignored Range and is sending the whole object: drop the connection rather than drain it.
                in.abort();
            }
            return out;
        } catch (SdkException e) {
            if (isNotFound(e)) {
                throw new BlobNotFoundException(uri().toString(), key);
            }
            if (e instanceof AwsServiceException s && s.statusCode() == 416) {
                return new byte[0];
            }
            throw failure("read", key, e);
        } catch (IOException e) {
            throw new StoreException("could not read " + key + " in store " + uri() + ": " + e, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        String objectKey = objectKey(key);
        try {
            HeadObjectResponse head =
                    s3.headObject(b -> b.bucket(location.bucket()).key(objectKey));
            return Optional.of(new BlobInfo(key, head.contentLength(), head.lastModified()));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        List<BlobInfo> out = new ArrayList<>();
        call("list", prefix, () -> {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket())
                            .prefix(location.objectKey(checkPrefix(prefix)))
                            .maxKeys(settings.pageSize()))
                    .contents()) {
                out.add(new BlobInfo(location.storeKey(o.key()), o.size(), o.lastModified()));
            }
            return null;
        });
        // S3 orders by UTF-8 bytes; the SPI promises Java's String order, as the directory store gives.
        out.sort(Comparator.comparing(BlobInfo::key));
        return out;
    }

    /** One listing request for one key, however many objects there are. */
    @Override
    public boolean hasObjectsUnder(String prefix) {
        return call(
                "list",
                prefix,
                () -> !s3.listObjectsV2(b -> b.bucket(location.bucket())
                                .prefix(location.objectKey(checkPrefix(prefix)))
                                .maxKeys(1))
                        .contents()
                        .isEmpty());
    }

    @Override
    public List<String> listPrefixes(String prefix) {
        List<String> out = new ArrayList<>();
        call("list", prefix, () -> {
            for (CommonPrefix p : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket())
                            .prefix(location.objectKey(checkPrefix(prefix)))
                            .delimiter("/")
                            .maxKeys(settings.pageSize()))
                    .commonPrefixes()) {
                out.add(location.storeKey(p.prefix()));
            }
            return null;
        });
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Override
    public boolean delete(String key) {
        // DeleteObject succeeds whether or not the object was there, so ask first.
        boolean existed = stat(key).isPresent();
        String objectKey = objectKey(key);
        call(
                "delete",
                key,
                () -> s3.deleteObject(b -> b.bucket(location.bucket()).key(objectKey)));
        return existed;
    }

    @Override
    public int deletePrefix(String prefix) {
        String objectPrefix = location.objectKey(checkPrefix(prefix));
        return call("delete", prefix + "*", () -> {
            int deleted = 0;
            // Deleting a page does not disturb the continuation token, which is a position in key order.
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(
                    b -> b.bucket(location.bucket()).prefix(objectPrefix).maxKeys(settings.pageSize()))) {
                List<ObjectIdentifier> ids = page.contents().stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build())
                        .toList();
                if (ids.isEmpty()) {
                    continue;
                }
                DeleteObjectsResponse response = s3.deleteObjects(b ->
                        b.bucket(location.bucket()).delete(d -> d.objects(ids).quiet(true)));
                if (!response.errors().isEmpty()) {
                    S3Error first = response.errors().get(0);
                    throw new StoreException(
                            "could not delete " + response.errors().size() + " objects under "
                                    + prefix + " in store " + uri() + ", e.g. " + location.storeKey(first.key()) + ": "
                                    + first.code() + " " + first.message() + accessHint(first.code()));
                }
                deleted += ids.size();
            }
            return deleted;
        });
    }

    @Override
    public void checkAccess() {
        try {
            s3.headBucket(b -> b.bucket(location.bucket()));
        } catch (SdkException e) {
            throw new StoreException(new AccessProblem(location, connection, e).message(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + uri() + "]";
    }

    private String objectKey(String key) {
        return location.objectKey(StoreKeys.validate(key));
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
        } catch (SdkException e) {
            throw failure(action, key, e);
        }
    }

    private StoreException failure(String action, String key, SdkException e) {
        String reason;
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            reason = s.statusCode() + " " + s.awsErrorDetails().errorCode() + ": "
                    + s.awsErrorDetails().errorMessage()
                    + accessHint(s.awsErrorDetails().errorCode());
        } else {
            reason = e.getMessage() + " (endpoint " + connection.endpointDescription() + ")";
        }
        return new StoreException("could not " + action + " " + key + " in store " + uri() + ": " + reason, e);
    }

    private String accessHint(String errorCode) {
        return "AccessDenied".equals(errorCode) ? " (credentials: " + connection.credentialsDescription() + ")" : "";
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException
                || (e instanceof AwsServiceException s
                        && s.statusCode() == 404
                        && !(s.awsErrorDetails() != null
                                && "NoSuchBucket".equals(s.awsErrorDetails().errorCode())));
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(settings.baseBackoff().toMillis() * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing to store " + uri());
        }
    }
}
