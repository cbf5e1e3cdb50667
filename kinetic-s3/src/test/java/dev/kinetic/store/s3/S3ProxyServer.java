package dev.kinetic.store.s3;

import java.net.URI;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A second S3 implementation for tests, written by other people than S3Mock's: Andrew Gaul's S3Proxy
 * ({@code org.gaul:s3proxy}) in this JVM, on 127.0.0.1, over its transient (in-memory) storage backend. It checks
 * AWS signatures (V2 or V4) against the credentials below, so a wrong signature fails here as on AWS.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start()) {
 *     s3.createBucket("b");
 *     BlobStore store = BlobStores.open(URI.create("s3://b"), s3.environment());
 * }
 * }</pre>
 *
 * <p>Every byte stored lives in this JVM's heap, so tests keep objects small and drop buckets when done.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY_ID = "kinetic-proxy-key";
    static final String SECRET_ACCESS_KEY = "kinetic-proxy-secret-do-not-print";

    private final S3Proxy proxy;
    private final BlobStore storage;

    private S3ProxyServer(S3Proxy proxy, BlobStore storage) {
        this.proxy = proxy;
        this.storage = storage;
    }

    /** Starts on a free port of 127.0.0.1. */
    static S3ProxyServer start() {
        BlobStore storage = new TransientNio2BlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(storage)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 60 s: " + proxy.getState());
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy: " + e, e);
        }
        return new S3ProxyServer(proxy, storage);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    void createBucket(String bucket) {
        storage.createContainer(bucket);
    }

    /** Deletes the bucket and everything in it, giving its memory back. */
    void deleteBucket(String bucket) {
        storage.deleteContainer(bucket);
    }

    /** What a Kinetic process needs to use this server: endpoint, credentials and region. */
    Map<String, String> environment() {
        return Map.of(
                "KINETIC_S3_ENDPOINT",
                endpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY",
                SECRET_ACCESS_KEY,
                "AWS_REGION",
                "us-east-1");
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            // the test JVM ends soon; a server left running holds only memory
        }
    }
}
