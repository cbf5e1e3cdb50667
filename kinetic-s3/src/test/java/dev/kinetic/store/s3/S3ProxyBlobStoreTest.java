package dev.kinetic.store.s3;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStoreContractTest;
import dev.kinetic.spi.store.BlobStores;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract against a second S3 implementation, S3Proxy (see {@link S3ProxyServer}), beside S3Mock in
 * {@link S3BlobStoreTest}: two servers written by different people agree with what this client expects, so the
 * suite tests S3's behaviour rather than one server's reading of it.
 */
class S3ProxyBlobStoreTest extends BlobStoreContractTest {
    private static S3ProxyServer s3;
    private final List<String> buckets = new ArrayList<>();

    @BeforeAll
    static void startS3Proxy() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3Proxy() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** S3Proxy's transient backend keeps objects in this JVM's heap: give it back after every test. */
    @AfterEach
    void dropBuckets() {
        buckets.forEach(s3::deleteBucket);
        buckets.clear();
    }

    /** Through the ServiceLoader, with a store prefix, as Kinetic opens it; in a bucket of its own. */
    @Override
    protected BlobStore newStore() {
        String bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        buckets.add(bucket);
        return BlobStores.open(URI.create("s3://" + bucket + "/contract"), s3.environment());
    }

    /** Above the 16 MiB part size, so the contract's streamed put goes through a multipart upload. */
    @Override
    protected int mediumObjectSize() {
        return 20 * 1024 * 1024;
    }

    /**
     * Smaller than the contract's 200 MiB: this server stores every byte in the test JVM's 256 MiB heap. Still three
     * 16 MiB parts, so the multipart path and the ranged read in the middle run; that a 200 MiB object streams with
     * bounded heap is proven by the same client code against S3Mock, which runs in its own process.
     */
    @Override
    protected long largeObjectSize() {
        return 40L * 1024 * 1024;
    }
}
