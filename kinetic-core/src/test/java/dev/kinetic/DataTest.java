package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.store.TransferListener;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data shipped into real local-backend jobs: verified in the task by hash, uploaded once. */
class DataTest {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path shared;

    static Path corpus;

    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;
    final AtomicLong uploaded = new AtomicLong();

    /** A directory of 1 000 small files and one 100 MB file. */
    @BeforeAll
    static void makeCorpus() throws IOException {
        corpus = Files.createDirectories(shared.resolve("corpus"));
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            Path dir = Files.createDirectories(corpus.resolve("part-" + (i % 10)));
            Files.writeString(dir.resolve("f" + i + ".txt"), "file " + i + " " + random.nextLong());
        }
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(corpus.resolve("big.bin"))) {
            for (int i = 0; i < 100; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        kinetic = new TestKinetic(tmp);
        session = kinetic.session().onTransfer(new TransferListener() {
            @Override
            public void finished(String key, long totalBytes) {
                uploaded.addAndGet(totalBytes);
            }
        });
    }

    @AfterEach
    void tearDown() {
        session.close();
    }

    /** A record argument holding data inside a list, as users nest it. */
    record Shards(String name, List<Data> data) implements Serializable {}

    @Test
    void dataArrivesIntactAndIsUploadedOnce() throws Exception {
        String expected = digest(corpus);
        var job = session.remote(
                (Shards s) -> s.name() + ":" + digest(s.data().get(0).path()));

        assertThat(job.runAsync(new Shards("run1", List.of(Data.of(corpus)))).result(WAIT))
                .isEqualTo("run1:" + expected);
        assertThat(uploaded.get()).isGreaterThan(100L << 20);

        uploaded.set(0);
        assertThat(job.runAsync(new Shards("run2", List.of(Data.of(corpus)))).result(WAIT))
                .isEqualTo("run2:" + expected);
        assertThat(uploaded.get()).as("bytes uploaded by the second submit").isZero();
    }

    @Test
    void aSingleFileArrivesUnderItsName() throws Exception {
        Path file = Files.writeString(tmp.resolve("config.json"), "{\"lr\": 0.1}");
        var job = session.remote((Data d) -> d.path().getFileName() + "=" + Files.readString(d.path()));
        assertThat(job.runAsync(Data.of(file)).result(WAIT)).isEqualTo("config.json={\"lr\": 0.1}");
    }

    @Test
    void dataAlreadyInAStoreIsDownloadedByTheAgent() throws Exception {
        Path bucket = Files.createDirectories(tmp.resolve("bucket/prefix/sub"));
        Files.writeString(bucket.resolve("x.csv"), "1,2,3");
        Data remote = Data.of(tmp.resolve("bucket/prefix").toUri());
        var job = session.remote((Data d) -> Files.readString(d.path().resolve("sub/x.csv")));
        assertThat(job.runAsync(remote).result(WAIT)).isEqualTo("1,2,3");
        assertThatThrownBy(remote::path).hasMessageContaining("only inside a job");
    }

    @Test
    void aSingleObjectInAStoreArrivesAsThatFileAtPath() throws Exception {
        Path object = Files.createDirectories(tmp.resolve("bucket/external")).resolve("blob.bin");
        Files.writeString(object, "one object");
        Data single = Data.of(object.toUri());
        assertThat(single.isDirectory()).isFalse();
        var job = session.remote((Data d) ->
                Files.isRegularFile(d.path()) + " " + d.path().getFileName() + "=" + Files.readString(d.path()));

        assertThat(job.runAsync(single).result(WAIT)).isEqualTo("true blob.bin=one object");
    }

    @Test
    void aUriWithoutTheSlashThatNamesNoObjectButAPrefixIsThatPrefix() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bucket/shards/sub"));
        Files.writeString(dir.resolve("x.csv"), "4,5,6");
        Data prefix = Data.of(URI.create("file:" + tmp.resolve("bucket/shards")));
        var job = session.remote((Data d) -> Files.readString(d.path().resolve("sub/x.csv")));

        assertThat(job.runAsync(prefix).result(WAIT)).isEqualTo("4,5,6");
    }

    @Test
    void aUriThatMatchesNoObjectFailsTheSubmitNamingItAndWritesNoJob() throws Exception {
        Files.createDirectories(tmp.resolve("bucket/empty"));
        var job = session.remote((Data d) -> 1);
        for (URI missing : List.of(
                tmp.resolve("bucket/nope.csv").toUri(),
                tmp.resolve("bucket/empty").toUri(),
                URI.create("file:" + tmp.resolve("bucket/nothing-here/")))) {
            assertThatThrownBy(() -> job.runAsync(Data.of(missing)))
                    .as("%s", missing)
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("data " + missing)
                    .hasMessageContaining("matches no object");
        }
        assertThat(session.listJobs()).isEmpty();
    }

    @Test
    void storeUrisThatCannotNameDataAreRefused() {
        assertThatThrownBy(() -> Data.of(URI.create("bucket/key")))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("bucket/key")
                .hasMessageContaining("s3://bucket/key");
        assertThatThrownBy(() -> Data.of(URI.create("file:relative.csv"))).hasMessageContaining("file:relative.csv");
        assertThatThrownBy(() -> Data.of(URI.create("s3://b/a/.."))).hasMessageContaining("ends in '..'");
        assertThat(Data.of(URI.create("s3://b")).isDirectory()).isTrue();
        assertThat(Data.of(URI.create("s3://b/train.csv")).name()).isEqualTo("train.csv");
    }

    /** Store data that went away between submit and start fails the job in phase data, never as an empty directory. */
    @Test
    void storeDataGoneByTheTimeTheAgentStartsFailsThePlacement() throws Exception {
        var materializer = new dev.kinetic.internal.data.DataMaterializer(
                new dev.kinetic.internal.store.DirectoryBlobStore(tmp.resolve("s")), tmp.resolve("placed"), Map.of());
        Path empty = Files.createDirectories(tmp.resolve("gone/dir"));
        for (String uri : List.of(
                tmp.resolve("gone/file.csv").toUri().toString(), empty.toUri().toString())) {
            assertThatThrownBy(() -> materializer.materialize(
                            new dev.kinetic.internal.protocol.PayloadFile.DataRef("u-x", null, uri)))
                    .as(uri)
                    .isInstanceOf(dev.kinetic.internal.data.DataMaterializer.DataException.class)
                    .hasMessageContaining("data " + uri)
                    .hasMessageContaining("any more");
        }
        assertThat(tmp.resolve("placed/u-x")).doesNotExist();
    }

    @Test
    void aVolumeAppearsAtItsMountPath() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("train"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        String mount = tmp.resolve("mnt").resolve("data").resolve("train").toString();
        var job = session.remote(() -> Files.readString(Path.of(mount).resolve("a.txt")))
                .volume(mount, Data.of(dir));
        assertThat(job.runAsync().result(WAIT)).isEqualTo("alpha");
        assertThat(Files.isSymbolicLink(Path.of(mount))).isTrue();
        assertThatThrownBy(() -> session.remote(() -> 1).volume("relative/path", Data.of(dir)))
                .hasMessageContaining("absolute path");
    }

    @Test
    void aSharedOutputDirHandsCheckpointsToTheNextJob() throws Exception {
        String shared = "outputs/shared/run-7/";
        var first = session.remote(() -> {
                    Files.writeString(
                            Path.of(System.getenv("KINETIC_OUTPUT_DIR")).resolve("checkpoint.txt"), "step 5");
                    return "saved";
                })
                .outputDir(shared);
        assertThat(first.runAsync().result(WAIT)).isEqualTo("saved");
        var second = session.remote(() -> Files.readString(
                        Path.of(System.getenv("KINETIC_OUTPUT_DIR")).resolve("checkpoint.txt")))
                .outputDir(shared);
        assertThat(second.runAsync().result(WAIT)).isEqualTo("step 5");
        assertThat(kinetic.storeDir().resolve(shared).resolve("checkpoint.txt")).hasContent("step 5");
    }

    @Test
    void anUploadCutShortIsNeverMistakenForACacheHit() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("x" + i), "content " + i);
        }
        AtomicLong files = new AtomicLong();
        try (KineticSession crashing = kinetic.session().onTransfer(new TransferListener() {
            @Override
            public void finished(String key, long totalBytes) {
                if (files.incrementAndGet() == 5) {
                    throw new IllegalStateException("simulated crash mid-upload");
                }
            }
        })) {
            assertThatThrownBy(() -> crashing.remote((Data d) -> 1).runAsync(Data.of(dir)))
                    .hasMessageContaining("simulated crash");
        }
        var job = session.remote((Data d) -> digest(d.path()));
        assertThat(job.runAsync(Data.of(dir)).result(WAIT)).isEqualTo(digest(dir));
    }

    @Test
    void aSubmitterSigkilledMidUploadThenAResubmitGivesACorrectJob() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("killed-upload"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("f" + i), "payload " + i + " " + System.nanoTime());
        }
        ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        dev.kinetic.testing.UploadAndDie.class.getName(),
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(kinetic.environment());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(137);
        try (Stream<Path> markers = Files.exists(kinetic.storeDir().resolve("data"))
                ? Files.walk(kinetic.storeDir().resolve("data"))
                : Stream.empty()) {
            assertThat(markers.filter(m -> m.endsWith("complete")))
                    .as("no completion marker")
                    .isEmpty();
        }
        var job = session.remote((Data d) -> digest(d.path()));
        assertThat(job.runAsync(Data.of(dir)).result(WAIT)).isEqualTo(digest(dir));
    }

    @Test
    void treesWithUnsafeNamesAreRefusedByTheAgent() throws Exception {
        dev.kinetic.internal.store.DirectoryBlobStore store =
                new dev.kinetic.internal.store.DirectoryBlobStore(tmp.resolve("s"));
        byte[] tree = "{\"entries\":[{\"path\":\"../escape\",\"mode\":\"644\",\"size\":1,\"sha256\":\"00\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = Hashing.sha256(tree);
        store.put("cas/" + sha, tree);
        store.put(dev.kinetic.internal.data.DataUploader.marker(sha), new byte[0]);
        var materializer =
                new dev.kinetic.internal.data.DataMaterializer(store, tmp.resolve("placed"), java.util.Map.of());
        assertThatThrownBy(() ->
                        materializer.materialize(new dev.kinetic.internal.protocol.PayloadFile.DataRef(sha, sha, null)))
                .hasMessageContaining("unsafe file name '../escape'");
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void symlinksLeavingTheTreeAreRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("withlink"));
        Files.writeString(dir.resolve("ok.txt"), "ok");
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> session.remote((Data d) -> 1).runAsync(Data.of(dir)))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("symlink")
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> Data.of(tmp.resolve("missing"))).hasMessageContaining("does not exist");
    }

    @Test
    void aMissingDataObjectFailsThePhaseDataWithKeyAndHash() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fresh"));
        Files.writeString(dir.resolve("only.txt"), "unique " + System.nanoTime());
        String sha = Hashing.sha256(dir.resolve("only.txt"));
        try (var store =
                dev.kinetic.spi.store.BlobStores.open(kinetic.storeDir().toUri(), Map.of())) {
            new dev.kinetic.internal.data.DataUploader(store, dev.kinetic.spi.store.TransferListener.NONE).upload(dir);
        }
        Files.delete(kinetic.storeDir().resolve("cas").resolve(sha));

        JobHandle<Integer> job = session.remote((Data d) -> 1).runAsync(Data.of(dir));
        assertThatThrownBy(() -> job.result(WAIT))
                .isInstanceOf(JobFailedException.class)
                .satisfies(e -> assertThat(((JobFailedException) e).phase()).isEqualTo("data"))
                .hasMessageContaining("cas/" + sha)
                .hasMessageContaining("missing");
    }

    /** A hash over every file's relative path and content, in sorted order. */
    static String digest(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                all.append(root.relativize(p))
                        .append('=')
                        .append(Hashing.sha256(p))
                        .append('\n');
            }
        }
        return Hashing.sha256(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
