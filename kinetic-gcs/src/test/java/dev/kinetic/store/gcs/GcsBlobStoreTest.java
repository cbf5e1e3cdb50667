package dev.kinetic.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStoreContractTest;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.spi.store.RecordingListener;
import dev.kinetic.spi.store.StoreException;
import dev.kinetic.spi.store.TestData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract and the GCS-specific behaviour, with the real google-cloud-storage client talking HTTP to
 * {@link FakeGcsServer} on 127.0.0.1.
 */
class GcsBlobStoreTest extends BlobStoreContractTest {
    private static final String BUCKET = "kinetic-test";
    private static FakeGcsServer gcs;

    @BeforeAll
    static void startGcs() {
        gcs = FakeGcsServer.start(BUCKET);
    }

    @AfterAll
    static void stopGcs() {
        if (gcs != null) {
            gcs.close();
        }
    }

    @AfterEach
    void noInjectedFailuresLeft() {
        gcs.failRequests(line -> false, 0, 0);
        gcs.failFinalizations(0);
        gcs.keepPartOfChunks(true);
        gcs.keepRateLimitedBytes(false);
    }

    /** Through the ServiceLoader, with a store prefix, as Kinetic opens it. */
    @Override
    protected BlobStore newStore() {
        return BlobStores.open(URI.create("gs://" + BUCKET + "/contract"), gcs.environment());
    }

    /** Above the 16 MiB chunk size, so the contract's streamed put takes more than one resumable chunk. */
    @Override
    protected int mediumObjectSize() {
        return 20 * 1024 * 1024;
    }

    @Test
    void theStorePrefixIsWhereObjectsLandInTheBucket() {
        try (BlobStore bare = BlobStores.open(URI.create("gs://" + BUCKET), gcs.environment());
                BlobStore prefixed = BlobStores.open(URI.create("gs://" + BUCKET + "/team/" + p), gcs.environment())) {
            prefixed.put("jobs/j1/job.json", bytes("{}"));

            assertThat(bare.exists("team/" + p + "jobs/j1/job.json")).isTrue();
            assertThat(prefixed.list("")).extracting(BlobInfo::key).containsExactly("jobs/j1/job.json");
            assertThat(prefixed.listPrefixes("")).containsExactly("jobs/");
            assertThat(prefixed.uri()).hasToString("gs://" + BUCKET + "/team/" + p);
        }
    }

    @Test
    void listingGoesPageByPage() throws Exception {
        putAll("paged/a/1", "paged/a/2", "paged/b/1", "paged/c", "paged/d", "paged/e/1", "paged/f");
        GcsSettings smallPages = GcsSettings.fromEnvironment(gcs.environment()).withPageSize(2);
        try (GcsBlobStore paged =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), smallPages)) {
            int before = gcs.requestCount();
            assertThat(paged.list(p + "paged/")).hasSize(7);
            assertThat(gcs.requestCount() - before).isEqualTo(4);
            assertThat(paged.listPrefixes(p + "paged/"))
                    .containsExactly(p + "paged/a/", p + "paged/b/", p + "paged/e/");
            assertThat(paged.deletePrefix(p + "paged/")).isEqualTo(7);
        }
    }

    @Test
    void aFailedResumableUploadLeavesNoObject() throws IOException {
        Path file = tempDir.resolve("chunks.bin");
        new TestData(8).writeFile(file, 3L * 1024 * 1024);
        AtomicInteger chunks = new AtomicInteger();
        // the second chunk is refused with a client error, which is not retried
        gcs.failRequests(line -> line.startsWith("PUT /upload/") && chunks.incrementAndGet() == 2, 403, 1);
        GcsSettings smallChunks = GcsSettings.fromEnvironment(gcs.environment()).withChunkSize(1024 * 1024);
        try (GcsBlobStore chunked =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), smallChunks)) {
            assertThatThrownBy(() -> chunked.put(p + "chunks.bin", file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(p + "chunks.bin")
                    .hasMessageContaining("403");

            assertThat(chunks.get()).isGreaterThanOrEqualTo(2);
            assertThat(chunked.exists(p + "chunks.bin")).isFalse();
            assertThat(chunked.list(p)).isEmpty();
        }
    }

    /**
     * Cloud Storage takes one write per second to an object name and answers 429 above that. The client's own
     * retries are made short here (10 ms), so they are all spent within the second: every write and delete below
     * succeeds only because the store waits a second before trying again.
     */
    @Test
    void writesWithinASecondOfEachOtherWaitForTheObjectsWriteRate() throws IOException {
        GcsSettings fast = GcsSettings.fromEnvironment(gcs.environment()).withRetries(4, Duration.ofMillis(10));
        Path file = tempDir.resolve("f.txt");
        java.nio.file.Files.writeString(file, "from a file");
        try (GcsBlobStore store =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), fast)) {
            int before = gcs.rateLimitedCount();
            long start = System.nanoTime();

            store.put(p + "hot", bytes("one"));
            store.put(p + "hot", bytes("two"));
            store.put(p + "hot", file);
            assertThat(store.delete(p + "hot")).isTrue();
            assertThat(store.putIfAbsent(p + "hot", bytes("three"))).isTrue();
            assertThat(store.putIfAbsent(p + "hot", bytes("four"))).isFalse();

            assertThat(text(store.get(p + "hot").orElseThrow())).isEqualTo("three");
            assertThat(gcs.rateLimitedCount() - before)
                    .as("writes answered 429")
                    .isGreaterThanOrEqualTo(4);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
    }

    @Test
    void aPrefixWrittenAMomentAgoIsDeletedDespiteTheWriteRate() {
        putAll("fresh/a", "fresh/b", "fresh/c");
        GcsSettings fast = GcsSettings.fromEnvironment(gcs.environment()).withRetries(2, Duration.ofMillis(10));
        try (GcsBlobStore store =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), fast)) {
            int before = gcs.rateLimitedCount();

            assertThat(store.deletePrefix(p + "fresh/")).isEqualTo(3);

            assertThat(store.list(p + "fresh/")).isEmpty();
            assertThat(gcs.rateLimitedCount() - before).isPositive();
        }
    }

    /**
     * When the request that finalizes an upload fails after its bytes were persisted, the client library finds every
     * byte in the session and returns as if the upload were done, although no object was created. The store checks
     * the object and uploads again.
     */
    @Test
    void anUploadWhoseFinalizationFailedAfterItsBytesWereKeptIsSentAgain() throws IOException {
        Path file = tempDir.resolve("finalize.bin");
        String sha = new TestData(9).writeFile(file, 100_000);
        gcs.failFinalizations(1);

        store.put(p + "finalize.bin", file);

        assertThat(TestData.sha256Of(store.open(p + "finalize.bin"))).isEqualTo(sha);
    }

    /**
     * The worst case of a file upload within a second of the last write: its finalize is refused with 429 but its
     * bytes stay in the session, so the client library finds them all and returns as if done, without an object. The
     * store finds no object, waits a second and uploads again.
     */
    @Test
    void anUploadRefusedForTheWriteRateAfterItsBytesWereKeptLandsOnASecondTry() throws IOException {
        Path file = tempDir.resolve("hot.bin");
        String sha = new TestData(12).writeFile(file, 50_000);
        gcs.keepRateLimitedBytes(true);
        int before = gcs.rateLimitedCount();

        store.put(p + "hot.bin", bytes("an older version"));
        store.put(p + "hot.bin", file);

        assertThat(TestData.sha256Of(store.open(p + "hot.bin"))).isEqualTo(sha);
        assertThat(gcs.rateLimitedCount() - before).isPositive();
    }

    /** Cloud Storage may keep only part of a chunk and ask for the rest with 308 and Range. */
    @Test
    void aChunkKeptInPartIsCompletedWithTheRest() throws IOException {
        Path file = tempDir.resolve("parts.bin");
        String sha = new TestData(10).writeFile(file, 5L * 1024 * 1024 + 123);
        GcsSettings smallChunks = GcsSettings.fromEnvironment(gcs.environment()).withChunkSize(1024 * 1024);
        try (GcsBlobStore chunked =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), smallChunks)) {
            int before = gcs.partialChunkCount();
            RecordingListener listener = new RecordingListener();

            chunked.put(p + "parts.bin", file, listener);

            assertThat(gcs.partialChunkCount() - before)
                    .as("chunks kept in part")
                    .isGreaterThanOrEqualTo(4);
            assertThat(TestData.sha256Of(chunked.open(p + "parts.bin"))).isEqualTo(sha);
            assertThat(listener.progress()).isSorted().doesNotHaveDuplicates();
            assertThat(listener.lastProgress()).isEqualTo(5L * 1024 * 1024 + 123);
        }
    }

    @Test
    void transientErrorsAreRetriedAndThenSucceed() {
        GcsSettings fast = GcsSettings.fromEnvironment(gcs.environment()).withRetries(4, Duration.ofMillis(10));
        try (GcsBlobStore retrying =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), fast)) {
            retrying.put(p + "r", bytes("retried"));
            gcs.failRequests(line -> line.startsWith("GET "), 503, 2);
            int before = gcs.requestCount();

            assertThat(retrying.get(p + "r"))
                    .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("retried"));
            assertThat(gcs.requestCount() - before).isEqualTo(3);
        }
    }

    @Test
    void retriesAreBoundedAndClientErrorsAreNotRetried() {
        GcsSettings fast = GcsSettings.fromEnvironment(gcs.environment()).withRetries(3, Duration.ofMillis(10));
        try (GcsBlobStore retrying =
                GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET + "/contract")), fast)) {
            gcs.failRequests(line -> true, 500, 100);
            int before = gcs.requestCount();
            assertThatThrownBy(() -> retrying.put(p + "x", bytes("x")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(p + "x")
                    .hasMessageContaining("500");
            assertThat(gcs.requestCount() - before).isEqualTo(3);

            gcs.failRequests(line -> true, 403, 100);
            before = gcs.requestCount();
            assertThatThrownBy(() -> retrying.get(p + "x"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(p + "x")
                    .hasMessageContaining("403")
                    .hasMessageContaining("no credentials (plain-HTTP emulator endpoint)");
            assertThat(gcs.requestCount() - before).isEqualTo(1);
        }
    }

    @Test
    void checkAccessToAMissingBucketNamesBucketEndpointAndCredentials() {
        try (BlobStore missing = BlobStores.open(URI.create("gs://no-such-bucket"), gcs.environment())) {
            assertThatThrownBy(missing::checkAccess)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("'no-such-bucket'")
                    .hasMessageContaining(gcs.endpoint().toString())
                    .hasMessageContaining("no credentials (plain-HTTP emulator endpoint)")
                    .hasMessageContaining("404")
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void checkAccessToAnUnreachableEndpointSaysSo() throws IOException {
        Map<String, String> env = new HashMap<>(gcs.environment());
        env.put("KINETIC_GCS_ENDPOINT", "http://127.0.0.1:" + closedPort());
        GcsSettings settings = GcsSettings.fromEnvironment(env).withRetries(2, Duration.ofMillis(10));
        try (GcsBlobStore unreachable = GcsBlobStore.open(GcsLocation.parse(URI.create("gs://" + BUCKET)), settings)) {
            assertThatThrownBy(unreachable::checkAccess)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("'" + BUCKET + "'")
                    .hasMessageContaining(env.get("KINETIC_GCS_ENDPOINT"))
                    .hasMessageContaining("KINETIC_GCS_ENDPOINT");
        }
    }

    @Test
    void aMissingCredentialsFileIsNamed() {
        Map<String, String> env = Map.of(
                "GOOGLE_APPLICATION_CREDENTIALS", tempDir.resolve("nope.json").toString());
        assertThatThrownBy(() -> BlobStores.open(URI.create("gs://" + BUCKET), env))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS=" + tempDir.resolve("nope.json"));
    }

    @Test
    void badUrisAndEndpointsAreRefusedWithTheValueAndTheFix() {
        assertThatThrownBy(() -> GcsLocation.parse(URI.create("gs:///prefix")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("gs:///prefix")
                .hasMessageContaining("gs://bucket");
        assertThatThrownBy(() -> GcsSettings.fromEnvironment(Map.of("KINETIC_GCS_ENDPOINT", "localhost:4443")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("'localhost:4443'")
                .hasMessageContaining("http://");
        assertThat(GcsLocation.parse(URI.create("gs://b/a/b/"))).isEqualTo(new GcsLocation("b", "a/b/"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
