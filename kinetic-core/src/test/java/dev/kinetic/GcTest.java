package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.KineticSession.GcOptions;
import dev.kinetic.KineticSession.GcReport;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention: finished jobs older than a limit go, then what nothing references in cas/ and data/. */
class GcTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;

    @BeforeEach
    void open() throws Exception {
        kinetic = new TestKinetic(tmp);
        session = kinetic.session();
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void finishedJobsGoWithWhatOnlyTheyUsedAndRunningJobsKeepWhatTheyUse() throws Exception {
        Path onlyOld = Files.createDirectories(tmp.resolve("only-old"));
        Files.writeString(onlyOld.resolve("a.txt"), "used by the finished job only " + System.nanoTime());
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(shared.resolve("b.txt"), "used by both " + System.nanoTime());
        JobHandle<Integer> done =
                session.remote((List<Data> d) -> d.size()).runAsync(List.of(Data.of(onlyOld), Data.of(shared)));
        assertThat(done.result(WAIT, Cleanup.NONE)).isEqualTo(2);
        JobHandle<Integer> failed =
                session.remote(() -> Jobs.failWith("no luck")).runAsync();
        failed.describe();
        awaitEnd(failed);
        String gate = tmp.resolve("gate").toString();
        JobHandle<Integer> running = session.remote((Data d) -> {
                    while (!Files.exists(Path.of(gate))) {
                        Thread.sleep(20);
                    }
                    return 1;
                })
                .runAsync(Data.of(shared));
        awaitRunning(running);
        ageEverything(Duration.ofHours(2)); // past the sweep's grace period
        List<String> casBefore = keys("cas/");

        GcReport dry = session.gc(
                GcOptions.builder().olderThan(Duration.ZERO).dryRun(true).build());
        assertThat(dry.jobs()).containsExactlyInAnyOrder(done.id(), failed.id());
        assertThat(keys("cas/")).as("a dry run deletes nothing").isEqualTo(casBefore);

        GcReport report =
                session.gc(GcOptions.builder().olderThan(Duration.ZERO).build());
        assertThat(report.jobs()).containsExactlyInAnyOrder(done.id(), failed.id());
        assertThat(report.casSwept()).isTrue();
        assertThat(report.dataTrees()).as("the tree only the finished job used").isEqualTo(1);
        assertThat(report.casObjects()).isEqualTo(dry.casObjects()).isGreaterThanOrEqualTo(2);
        assertThat(done.status()).isEqualTo(JobStatus.NOT_FOUND);
        assertThat(failed.status()).isEqualTo(JobStatus.NOT_FOUND);
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        for (String sha : ((dev.kinetic.internal.observe.DefaultJobHandle<?>) running)
                .record().classpath().stream().map(a -> a.sha256()).toList()) {
            assertThat(keys("cas/")).contains("cas/" + sha);
        }
        Files.createFile(Path.of(gate));
        assertThat(running.result(WAIT, Cleanup.NONE))
                .as("its data and classpath survived")
                .isEqualTo(1);
        JobHandle<Integer> again = session.remote(
                        (Data d) -> Files.readString(d.path().resolve("a.txt")).length())
                .runAsync(Data.of(onlyOld));
        assertThat(again.result(WAIT)).as("collected data is uploaded again").isGreaterThan(10);
    }

    @Test
    void jobsNewerThanTheLimitAndOtherStatusesStay() throws Exception {
        JobHandle<Integer> ok = session.remote(() -> 1).runAsync();
        ok.result(WAIT, Cleanup.NONE);
        JobHandle<Integer> failed = session.remote(() -> Jobs.failWith("x")).runAsync();
        awaitEnd(failed);
        assertThat(session.gc(GcOptions.builder().olderThan(Duration.ofDays(1)).build())
                        .jobs())
                .isEmpty();
        GcReport onlyFailed = session.gc(GcOptions.builder()
                .olderThan(Duration.ZERO)
                .status(JobStatus.FAILED)
                .build());
        assertThat(onlyFailed.jobs()).containsExactly(failed.id());
        assertThat(ok.status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void outputsStayUnlessAskedForAndASharedPrefixStaysWhileAJobUsesIt() throws Exception {
        JobHandle<Integer> own = session.remote(() -> writeOutput("own.txt")).runAsync();
        own.result(WAIT, Cleanup.NONE);
        JobHandle<Integer> sharedOld = session.remote(() -> writeOutput("a.txt"))
                .outputDir("outputs/run-7/")
                .runAsync();
        sharedOld.result(WAIT, Cleanup.NONE);
        session.gc(GcOptions.builder().olderThan(Duration.ZERO).build());
        assertThat(keys("outputs/")).contains("outputs/" + own.id() + "/own.txt", "outputs/run-7/a.txt");

        JobHandle<Integer> own2 = session.remote(() -> writeOutput("own2.txt")).runAsync();
        own2.result(WAIT, Cleanup.NONE);
        String gate = tmp.resolve("gate2").toString();
        JobHandle<Integer> sharedRunning = session.remote(() -> {
                    while (!Files.exists(Path.of(gate))) {
                        Thread.sleep(20);
                    }
                    return 1;
                })
                .outputDir("outputs/run-7/")
                .runAsync();
        awaitRunning(sharedRunning);
        JobHandle<Integer> sharedDone = session.remote(() -> writeOutput("b.txt"))
                .outputDir("outputs/run-7/")
                .runAsync();
        sharedDone.result(WAIT, Cleanup.NONE);
        session.gc(GcOptions.builder().olderThan(Duration.ZERO).outputs(true).build());
        assertThat(keys("outputs/")).doesNotContain("outputs/" + own2.id() + "/own2.txt");
        assertThat(keys("outputs/")).as("a running job shares outputs/run-7/").contains("outputs/run-7/b.txt");
        Files.createFile(Path.of(gate));
        sharedRunning.result(WAIT, Cleanup.NONE);
    }

    @Test
    void aLiveLeaseKeepsTheSweepAwayAndASubmissionWaitsForARunningCollection() throws Exception {
        JobHandle<Integer> done = session.remote(() -> 1).runAsync();
        done.result(WAIT, Cleanup.NONE);
        ageEverything(Duration.ofHours(2));
        Path lease = kinetic.storeDir().resolve(JobLayout.LEASES + "someone-uploading");
        Files.createDirectories(lease.getParent());
        Files.writeString(lease, Instant.now().toString());
        List<String> cas = keys("cas/");
        GcReport report =
                session.gc(GcOptions.builder().olderThan(Duration.ZERO).build());
        assertThat(report.jobs()).containsExactly(done.id());
        assertThat(report.casSwept()).isFalse();
        assertThat(report.note()).contains("1 submission(s) in flight").contains("leases/");
        assertThat(keys("cas/")).isEqualTo(cas);
        Files.delete(lease);

        Path lock = kinetic.storeDir().resolve(JobLayout.GC_LOCK);
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, Instant.now().toString());
        CompletableFuture<JobHandle<Integer>> waiting =
                CompletableFuture.supplyAsync(() -> session.remote(() -> 2).runAsync());
        Thread.sleep(1500);
        assertThat(waiting)
                .as("a submission waits while a collection holds the lock")
                .isNotDone();
        assertThat(session.listJobs()).isEmpty();
        Files.delete(lock);
        assertThat(waiting.get(60, TimeUnit.SECONDS).result(WAIT)).isEqualTo(2);
        assertThat(keys("leases/")).as("the lease ends with the submission").isEmpty();
    }

    @Test
    void anEndedBatchGoesWithItsChildren() throws Exception {
        BatchHandle<Integer> batch = session.remote((Integer x) -> x * 2).runAsyncMap(List.of(1, 2, 3));
        assertThat(batch.results(WAIT)).containsExactly(2, 4, 6);
        GcReport report =
                session.gc(GcOptions.builder().olderThan(Duration.ZERO).build());
        assertThat(report.jobs()).hasSize(3);
        assertThat(report.batches()).containsExactly(batch.id());
        assertThat(session.listBatches()).isEmpty();
        assertThat(session.listJobs()).isEmpty();
    }

    static int writeOutput(String name) throws IOException {
        Files.writeString(Path.of(System.getenv("KINETIC_OUTPUT_DIR")).resolve(name), "out");
        return 1;
    }

    private void ageEverything(Duration by) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(by));
        try (Stream<Path> files = Files.walk(kinetic.storeDir())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    private List<String> keys(String prefix) throws IOException {
        Path dir = kinetic.storeDir().resolve(prefix);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> kinetic.storeDir().relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    private static void awaitRunning(JobHandle<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (job.status() != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job %s never ran", job.id()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitEnd(JobHandle<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!job.status().isTerminal()) {
            assertThat(System.nanoTime()).as("job %s never ended", job.id()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(JobId.of(job.id())).isNotNull();
    }
}
