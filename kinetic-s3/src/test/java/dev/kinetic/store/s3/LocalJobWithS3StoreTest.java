package dev.kinetic.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.Data;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.spi.store.TransferListener;
import dev.kinetic.testing.CollectResult;
import dev.kinetic.testing.TestKinetic;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend with an {@code s3://} store, as a team shares jobs without a cluster: real agent processes
 * read and write through S3Mock on 127.0.0.1; another JVM reattaches and collects; cleanup removes exactly the
 * job's keys.
 */
class LocalJobWithS3StoreTest {
    private static S3MockServer s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() {
        s3 = S3MockServer.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    private TestKinetic kinetic(String prefix) throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().putAll(s3.environment());
        kinetic.environment().put("KINETIC_STORE", s3.storeUri(prefix).toString());
        return kinetic;
    }

    @Test
    void aCapturedSecretReachesTheTaskAndNoObjectInTheBucketHoldsIt() throws Exception {
        String secret = "sk-s3-planted-" + Long.toHexString(System.nanoTime());
        TestKinetic kinetic = kinetic("secrets");
        kinetic.environment().put("PROBE_SECRET_TOKEN", secret);
        try (KineticSession session = kinetic.session();
                BlobStore store = BlobStores.open(s3.storeUri(""), kinetic.environment())) {
            // The function captures the value's hash, never the value (a captured value would be in the payload).
            String expected = Hashing.sha256(secret.getBytes(StandardCharsets.UTF_8));
            JobHandle<Boolean> job = session.remote(() -> System.getenv("PROBE_SECRET_TOKEN") != null
                            && Hashing.sha256(
                                            System.getenv("PROBE_SECRET_TOKEN").getBytes(StandardCharsets.UTF_8))
                                    .equals(expected))
                    .captureEnv("PROBE_SECRET_*")
                    .runAsync();
            assertThat(job.result(Duration.ofSeconds(60), dev.kinetic.Cleanup.NONE))
                    .isTrue();
            byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
            List<String> holding = new java.util.ArrayList<>();
            for (BlobInfo b : store.list("")) {
                byte[] bytes = store.get(b.key()).orElse(new byte[0]);
                if (new String(bytes, StandardCharsets.ISO_8859_1)
                        .contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    holding.add(b.key());
                }
            }
            assertThat(holding)
                    .as("objects in the bucket holding the captured value")
                    .isEmpty();
        }
    }

    @Test
    void submitReattachFromAnotherJvmCollectAndCleanUpExactlyTheJobsKeys() throws Exception {
        TestKinetic kinetic = kinetic("team-a");
        try (KineticSession session = kinetic.session();
                BlobStore store = BlobStores.open(s3.storeUri("team-a"), kinetic.environment())) {
            JobHandle<Integer> job = session.remote(() -> {
                        System.out.println("hello from a job whose store is S3");
                        return 6 * 7;
                    })
                    .runAsync();
            job.followLogs(line -> {});
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.tail(5)).containsExactly("hello from a job whose store is S3");

            Set<String> before = keys(store);
            Set<String> jobKeys = before.stream()
                    .filter(k -> k.startsWith(JobLayout.jobPrefix(JobId.of(job.id()))))
                    .collect(Collectors.toSet());
            assertThat(jobKeys)
                    .contains(JobLayout.record(JobId.of(job.id())), JobLayout.resultMeta(JobId.of(job.id())));

            ProcessBuilder b = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            CollectResult.class.getName(),
                            job.id())
                    .redirectError(tmp.resolve("collector.err").toFile());
            b.environment().putAll(kinetic.environment());
            Process collector = b.start();
            assertThat(collector.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(collector.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                    .as(Files.readString(tmp.resolve("collector.err")))
                    .isEqualTo("VALUE 42");

            Set<String> after = keys(store);
            Set<String> removed = new HashSet<>(before);
            removed.removeAll(after);
            assertThat(removed).isEqualTo(jobKeys);
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void dataShipsThroughS3OnceAndArrivesIntact() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shards"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(dir.resolve("part-" + i), "row " + i + "\n".repeat(i));
        }
        String expected = Hashing.sha256(dir.resolve("part-49"));
        AtomicLong uploaded = new AtomicLong();
        TestKinetic kinetic = kinetic("team-b");
        try (KineticSession session = kinetic.session().onTransfer(new TransferListener() {
            @Override
            public void finished(String key, long totalBytes) {
                uploaded.addAndGet(totalBytes);
            }
        })) {
            var job = session.remote((Data d) -> Hashing.sha256(d.path().resolve("part-49")));
            assertThat(job.runAsync(Data.of(dir)).result(Duration.ofMinutes(2))).isEqualTo(expected);
            assertThat(uploaded.get()).isPositive();
            uploaded.set(0);
            assertThat(job.runAsync(Data.of(dir)).result(Duration.ofMinutes(2))).isEqualTo(expected);
            assertThat(uploaded.get()).as("bytes uploaded by the second submit").isZero();
        }
    }

    /** {@code Data.of(URI)} on S3: one object arrives as that file; a prefix named without its slash as a directory. */
    @Test
    void storeDataIsOneObjectOrAPrefixAndDataThatIsNotThereFailsTheSubmit() throws Exception {
        TestKinetic kinetic = kinetic("team-c");
        String base = "s3://" + S3MockServer.BUCKET + "/external-c/";
        try (KineticSession session = kinetic.session();
                BlobStore bucket = BlobStores.open(s3.storeUri(), kinetic.environment())) {
            bucket.put("external-c/train.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
            bucket.put("external-c/shards/part-0", "zero".getBytes(StandardCharsets.UTF_8));
            bucket.put("external-c/shards/part-1", "one".getBytes(StandardCharsets.UTF_8));
            var job = session.remote((List<Data> d) -> d.get(0).path().getFileName() + "|"
                    + Files.readString(d.get(0).path()) + "|"
                    + Files.readString(d.get(1).path().resolve("part-1")));

            List<Data> data = List.of(Data.of(URI.create(base + "train.csv")), Data.of(URI.create(base + "shards")));
            assertThat(job.runAsync(data).result(Duration.ofMinutes(2))).isEqualTo("train.csv|a,b\n1,2\n|one");

            for (String missing : List.of(base + "missing.csv", base + "no-such-prefix/")) {
                assertThatThrownBy(() -> job.runAsync(List.of(Data.of(URI.create(missing)))))
                        .isInstanceOf(KineticException.class)
                        .hasMessageContaining("data " + missing + " matches no object");
            }
        }
    }

    private static Set<String> keys(BlobStore store) {
        return store.list("").stream().map(BlobInfo::key).collect(Collectors.toSet());
    }
}
