package dev.kinetic.spi.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link BlobStore} must have. A store module proves itself by extending this class and
 * opening a store on a real server:
 *
 * <pre>{@code
 * class S3BlobStoreContractTest extends BlobStoreContractTest {
 *     @Override
 *     protected BlobStore newStore() {
 *         return S3BlobStore.open(URI.create("s3://bucket"), server.environment());
 *     }
 * }
 * }</pre>
 *
 * Every test writes under its own random prefix, so suites may share a bucket and leave data behind without
 * affecting each other.
 */
public abstract class BlobStoreContractTest {

    /** Opens the store under test; called before every test, closed after it. */
    protected abstract BlobStore newStore() throws Exception;

    /** How many keys the pagination test creates; more than any service's page size. */
    protected int manyKeysCount() {
        return 10_050;
    }

    /** How many keys {@link #deletePrefixDeletesManyKeys} creates and deletes. */
    protected int deletePrefixCount() {
        return 2_500;
    }

    /**
     * Creates the keys of the pagination test, each holding its last six characters. Stores whose test servers
     * write slowly may seed them another way.
     */
    protected void createManyKeys(List<String> keys) throws Exception {
        putInParallel(keys);
    }

    /**
     * The store two threads race on in {@link #concurrentPutIfAbsentHasExactlyOneWinner}; by default one from
     * {@link #newStore()}. A test server whose conditional writes are not atomic can be fronted by one that is.
     */
    protected BlobStore newStoreForRaces() throws Exception {
        return newStore();
    }

    /** Size of the object streamed up and down with bounded heap. */
    protected long largeObjectSize() {
        return 200L * 1024 * 1024;
    }

    /** Size of the file used to check streamed puts and progress; big enough for a multipart upload when a
     *  store is configured with small parts. */
    protected int mediumObjectSize() {
        return 12 * 1024 * 1024;
    }

    @TempDir
    protected Path tempDir;

    protected BlobStore store;
    /** A fresh key prefix for this test, ending in {@code /}. */
    protected String p;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
        p = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // --- put / get --------------------------------------------------------------------------------------

    @Test
    void putThenGetReturnsTheBytes() {
        store.put(p + "a.txt", bytes("hello"));

        assertThat(store.get(p + "a.txt"))
                .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("hello"));
    }

    @Test
    void putReplacesAnExistingObject() {
        store.put(p + "a.txt", bytes("first, and longer"));
        store.put(p + "a.txt", bytes("second"));

        assertThat(text(store.get(p + "a.txt").orElseThrow())).isEqualTo("second");
        assertThat(store.stat(p + "a.txt").orElseThrow().size()).isEqualTo(6);
    }

    @Test
    void emptyObjectsAreObjects() {
        store.put(p + "empty", new byte[0]);

        assertThat(store.get(p + "empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(store.exists(p + "empty")).isTrue();
        assertThat(store.stat(p + "empty").orElseThrow().size()).isZero();
    }

    @Test
    void deepKeysWithUnusualCharactersRoundTrip() {
        String key = p + "jobs/v5e1-train-20260417-153012-abc1234/events/0001 state=RUNNING+ü.json";
        store.put(key, bytes("{}"));

        assertThat(text(store.get(key).orElseThrow())).isEqualTo("{}");
        assertThat(store.list(p + "jobs/")).extracting(BlobInfo::key).containsExactly(key);
    }

    @Test
    void getOfAMissingObjectIsEmpty() {
        assertThat(store.get(p + "missing")).isEmpty();
    }

    @Test
    void openOfAMissingObjectThrowsBlobNotFound() {
        assertThatThrownBy(() -> store.open(p + "missing"))
                .isInstanceOf(BlobNotFoundException.class)
                .satisfies(e -> assertThat(((BlobNotFoundException) e).key()).isEqualTo(p + "missing"))
                .hasMessageContaining(p + "missing");
    }

    @Test
    void openStreamsTheObject() throws IOException {
        byte[] data = new TestData(7).slice(0, 300_000);
        store.put(p + "blob", data);

        try (InputStream in = store.open(p + "blob")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    // --- streamed put and progress ----------------------------------------------------------------------

    @Test
    void putOfAFileStreamsItAndReportsProgressEndingAtTheSize() throws IOException {
        int size = mediumObjectSize();
        Path file = tempDir.resolve("medium.bin");
        TestData data = new TestData(11);
        String sha = data.writeFile(file, size);
        RecordingListener listener = new RecordingListener();

        store.put(p + "medium.bin", file, listener);

        assertThat(store.stat(p + "medium.bin").orElseThrow().size()).isEqualTo(size);
        assertThat(TestData.sha256Of(store.open(p + "medium.bin"))).isEqualTo(sha);
        assertThat(listener.startedCalls()).isEqualTo(1);
        assertThat(listener.startedTotal()).isEqualTo(size);
        assertThat(listener.progress()).isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(listener.progress()).allSatisfy(n -> assertThat(n).isBetween(1L, (long) size));
        assertThat(listener.lastProgress()).isEqualTo(size);
        assertThat(listener.finishedCalls()).isEqualTo(1);
        assertThat(listener.finishedTotal()).isEqualTo(size);
    }

    @Test
    void putOfASmallFileReplacesAnExistingObject() throws IOException {
        Path file = tempDir.resolve("small.txt");
        Files.writeString(file, "from a file");
        store.put(p + "f", bytes("old content that is longer"));

        store.put(p + "f", file);

        assertThat(text(store.get(p + "f").orElseThrow())).isEqualTo("from a file");
    }

    @Test
    void putOfAMissingFileFailsAndCreatesNothing() {
        assertThatThrownBy(() -> store.put(p + "x", tempDir.resolve("does-not-exist"), TransferListener.NONE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(p + "x");
        assertThat(store.exists(p + "x")).isFalse();
    }

    @Test
    void downloadWritesTheObjectToAFileAndReportsProgress() throws IOException {
        byte[] data = new TestData(3).slice(0, 1_000_000);
        store.put(p + "d/blob", data);
        Path target = tempDir.resolve("out/sub/blob");
        RecordingListener listener = new RecordingListener();

        store.download(p + "d/blob", target, listener);

        assertThat(Files.readAllBytes(target)).isEqualTo(data);
        assertThat(listener.progress()).isSorted();
        assertThat(listener.finishedTotal()).isEqualTo(data.length);
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    // --- put if absent ----------------------------------------------------------------------------------

    @Test
    void putIfAbsentCreatesOnlyOnce() {
        assertThat(store.putIfAbsent(p + "claim", bytes("first"))).isTrue();
        assertThat(store.putIfAbsent(p + "claim", bytes("second"))).isFalse();

        assertThat(text(store.get(p + "claim").orElseThrow())).isEqualTo("first");
    }

    @Test
    void putIfAbsentAfterDeleteCreatesAgain() {
        assertThat(store.putIfAbsent(p + "claim", bytes("first"))).isTrue();
        assertThat(store.delete(p + "claim")).isTrue();

        assertThat(store.putIfAbsent(p + "claim", bytes("again"))).isTrue();
        assertThat(text(store.get(p + "claim").orElseThrow())).isEqualTo("again");
    }

    @Test
    void concurrentPutIfAbsentHasExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (BlobStore racing = newStoreForRaces()) {
            for (int round = 0; round < 20; round++) {
                String key = p + "race/" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (String who : List.of("A", "B")) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return racing.putIfAbsent(key, bytes(who));
                    }));
                }
                boolean a = results.get(0).get(60, TimeUnit.SECONDS);
                boolean b = results.get(1).get(60, TimeUnit.SECONDS);

                assertThat(a ^ b)
                        .as("exactly one of two concurrent putIfAbsent wins (round %d: A=%s B=%s)", round, a, b)
                        .isTrue();
                assertThat(text(racing.get(key).orElseThrow())).isEqualTo(a ? "A" : "B");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- ranged reads -----------------------------------------------------------------------------------

    @Test
    void getRangeReadsTheMiddle() {
        store.put(p + "r", bytes("0123456789"));

        assertThat(text(store.getRange(p + "r", 3, 4))).isEqualTo("3456");
        assertThat(text(store.getRange(p + "r", 0, 10))).isEqualTo("0123456789");
    }

    @Test
    void getRangePastTheEndReturnsWhatThereIs() {
        store.put(p + "r", bytes("0123456789"));

        assertThat(text(store.getRange(p + "r", 7, 100))).isEqualTo("789");
    }

    @Test
    void getRangeAtOrBeyondTheEndIsEmpty() {
        store.put(p + "r", bytes("0123456789"));

        assertThat(store.getRange(p + "r", 10, 5)).isEmpty();
        assertThat(store.getRange(p + "r", 50, 5)).isEmpty();
        assertThat(store.getRange(p + "r", 2, 0)).isEmpty();
    }

    @Test
    void getRangeOfAMissingObjectThrowsBlobNotFound() {
        assertThatThrownBy(() -> store.getRange(p + "missing", 0, 10)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.getRange(p + "missing", 5, 0)).isInstanceOf(BlobNotFoundException.class);
    }

    // --- stat / exists ----------------------------------------------------------------------------------

    @Test
    void statReportsSizeAndModificationTime() {
        Instant before = Instant.now().minus(Duration.ofMinutes(2));
        store.put(p + "s", new byte[1234]);

        BlobInfo info = store.stat(p + "s").orElseThrow();

        assertThat(info.key()).isEqualTo(p + "s");
        assertThat(info.size()).isEqualTo(1234);
        assertThat(info.lastModified()).isBetween(before, Instant.now().plus(Duration.ofMinutes(2)));
    }

    @Test
    void statAndExistsOfAMissingObject() {
        assertThat(store.stat(p + "missing")).isEmpty();
        assertThat(store.exists(p + "missing")).isFalse();
        store.put(p + "present", bytes("x"));
        assertThat(store.exists(p + "present")).isTrue();
    }

    @Test
    void aPrefixOfKeysIsNotAnObject() {
        store.put(p + "dir/file", bytes("x"));

        assertThat(store.exists(p + "dir")).isFalse();
        assertThat(store.get(p + "dir")).isEmpty();
        assertThat(store.stat(p + "dir")).isEmpty();
        assertThatThrownBy(() -> store.open(p + "dir")).isInstanceOf(BlobNotFoundException.class);
    }

    // --- listing ----------------------------------------------------------------------------------------

    @Test
    void listReturnsEveryObjectUnderAPrefixSorted() {
        putAll("a/2", "a/1", "a/b/3", "ab/4", "b");

        assertThat(store.list(p + "a/")).extracting(BlobInfo::key).containsExactly(p + "a/1", p + "a/2", p + "a/b/3");
        assertThat(store.list(p))
                .extracting(BlobInfo::key)
                .containsExactly(p + "a/1", p + "a/2", p + "a/b/3", p + "ab/4", p + "b");
        assertThat(store.list(p + "a/")).extracting(BlobInfo::size).containsOnly(3L);
    }

    @Test
    void listByAPrefixThatIsNotAWholeSegment() {
        putAll("a/1", "a/b/3", "ab/4", "abc", "b");

        assertThat(store.list(p + "a"))
                .extracting(BlobInfo::key)
                .containsExactly(p + "a/1", p + "a/b/3", p + "ab/4", p + "abc");
        assertThat(store.list(p + "ab")).extracting(BlobInfo::key).containsExactly(p + "ab/4", p + "abc");
    }

    @Test
    void listOfAnUnknownPrefixIsEmpty() {
        assertThat(store.list(p + "nothing/")).isEmpty();
        assertThat(store.listPrefixes(p + "nothing/")).isEmpty();
    }

    @Test
    void hasObjectsUnderAnswersForWholeAndPartialPrefixes() {
        putAll("data/x/1.csv", "data/x/2.csv", "datum");

        assertThat(store.hasObjectsUnder(p + "data/")).isTrue();
        assertThat(store.hasObjectsUnder(p + "data/x/1.csv")).isTrue();
        assertThat(store.hasObjectsUnder(p + "dat")).isTrue();
        assertThat(store.hasObjectsUnder(p + "data/y/")).isFalse();
        assertThat(store.hasObjectsUnder(p + "datum/")).isFalse();
        assertThat(store.hasObjectsUnder(p + "nothing")).isFalse();
    }

    @Test
    void listPrefixesReturnsOneLevel() {
        putAll("jobs/j1/job.json", "jobs/j1/events/1", "jobs/j2/job.json", "jobs/top", "cas/x");

        assertThat(store.listPrefixes(p + "jobs/")).containsExactly(p + "jobs/j1/", p + "jobs/j2/");
        assertThat(store.listPrefixes(p + "jobs/j1/")).containsExactly(p + "jobs/j1/events/");
        assertThat(store.listPrefixes(p)).containsExactly(p + "cas/", p + "jobs/");
    }

    @Test
    void listPaginatesThroughManyKeys() throws Exception {
        List<String> keys = IntStream.range(0, manyKeysCount())
                .mapToObj(i -> p + "many/" + String.format("%06d", i))
                .toList();
        createManyKeys(keys);
        store.put(p + "many-sibling", bytes("not listed"));

        List<BlobInfo> listed = store.list(p + "many/");

        assertThat(listed).extracting(BlobInfo::key).containsExactlyElementsOf(keys);
        assertThat(listed).extracting(BlobInfo::size).containsOnly(6L);
        assertThat(store.listPrefixes(p)).containsExactly(p + "many/");
        assertThat(store.list(p + "many-")).extracting(BlobInfo::key).containsExactly(p + "many-sibling");
    }

    @Test
    void deletePrefixDeletesManyKeys() throws Exception {
        int count = deletePrefixCount();
        List<String> keys = IntStream.range(0, count)
                .mapToObj(i -> p + "del/" + String.format("%06d", i))
                .toList();
        putInParallel(keys);
        store.put(p + "del-sibling", bytes("kept"));

        assertThat(store.deletePrefix(p + "del/")).isEqualTo(count);

        assertThat(store.list(p + "del/")).isEmpty();
        assertThat(store.exists(p + "del-sibling")).isTrue();
    }

    // --- delete -----------------------------------------------------------------------------------------

    @Test
    void deleteReportsWhetherTheObjectWasThere() {
        store.put(p + "d", bytes("x"));

        assertThat(store.delete(p + "d")).isTrue();
        assertThat(store.delete(p + "d")).isFalse();
        assertThat(store.get(p + "d")).isEmpty();
    }

    @Test
    void deletePrefixDeletesOnlyThePrefix() {
        putAll("jobs/j1/job.json", "jobs/j1/events/1", "jobs/j10/job.json", "jobs/j2/job.json", "outputs/j1/x");

        assertThat(store.deletePrefix(p + "jobs/j1/")).isEqualTo(2);

        assertThat(store.list(p))
                .extracting(BlobInfo::key)
                .containsExactly(p + "jobs/j10/job.json", p + "jobs/j2/job.json", p + "outputs/j1/x");
        assertThat(store.deletePrefix(p + "jobs/j1/")).isZero();
    }

    // --- keys and access --------------------------------------------------------------------------------

    @Test
    void invalidKeysAreRefused() {
        for (String bad : List.of("../escape", p + "a/../../b", "/absolute", p + "a//b", p + "./a", "")) {
            assertThatThrownBy(() -> store.put(bad, bytes("x")))
                    .as("put %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.get(bad)).as("get %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.putIfAbsent(bad, bytes("x")))
                    .as("putIfAbsent %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad))
                    .as("delete %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void checkAccessPassesOnAWorkingStore() {
        store.checkAccess();
        assertThat(store.uri()).isNotNull();
    }

    // --- large objects ----------------------------------------------------------------------------------

    /** Streams an object larger than a small heap up and down; the module's test JVM runs with a small -Xmx. */
    @Test
    @Tag("large")
    void aLargeObjectIsStreamedUpAndDown() throws IOException {
        long size = largeObjectSize();
        TestData data = new TestData(2026);
        Path source = tempDir.resolve("large.bin");
        String sha = data.writeFile(source, size);
        RecordingListener up = new RecordingListener();

        store.put(p + "large.bin", source, up);
        Files.delete(source);

        assertThat(up.progress()).isSorted();
        assertThat(up.lastProgress()).isEqualTo(size);
        assertThat(store.stat(p + "large.bin").orElseThrow().size()).isEqualTo(size);
        assertThat(TestData.sha256Of(store.open(p + "large.bin"))).isEqualTo(sha);
        long middle = size / 2 + 12_345;
        assertThat(store.getRange(p + "large.bin", middle, 100_000)).isEqualTo(data.slice(middle, 100_000));

        Path back = tempDir.resolve("back.bin");
        RecordingListener down = new RecordingListener();
        store.download(p + "large.bin", back, down);
        assertThat(Files.size(back)).isEqualTo(size);
        assertThat(TestData.sha256Of(back)).isEqualTo(sha);
        assertThat(down.finishedTotal()).isEqualTo(size);
        assertThat(store.delete(p + "large.bin")).isTrue();
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** Writes each relative name under this test's prefix with its own name as content. */
    protected void putAll(String... names) {
        for (String name : names) {
            store.put(p + name, bytes(name.substring(Math.max(0, name.length() - 3))));
        }
    }

    /** Creates the keys from a thread pool, since one-by-one round trips would dominate the suite's time. */
    protected void putInParallel(List<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<String> batch : batches(keys, 100)) {
                done.add(pool.submit(() -> batch.forEach(k -> store.put(k, bytes(k.substring(k.length() - 6))))));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<List<String>> batches(List<String> keys, int size) {
        return IntStream.range(0, (keys.size() + size - 1) / size)
                .mapToObj(i -> keys.subList(i * size, Math.min(keys.size(), (i + 1) * size)))
                .collect(Collectors.toList());
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    protected static String text(Optional<byte[]> b) {
        return b.map(BlobStoreContractTest::text).orElse(null);
    }
}
