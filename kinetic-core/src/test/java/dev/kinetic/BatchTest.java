package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.BatchHandle.ReturnExceptions;
import dev.kinetic.testing.BatchSubmitter;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches with real local-backend jobs. */
class BatchTest {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;

    @BeforeEach
    void setUp() throws Exception {
        kinetic = new TestKinetic(tmp);
        session = kinetic.session();
    }

    @AfterEach
    void tearDown() {
        session.close();
    }

    @Test
    void fiftyInputsNeverMoreThanFourAtOnceResultsInInputOrder() {
        List<Integer> inputs = IntStream.range(0, 50).boxed().toList();
        BatchHandle<Integer> batch = session.remote((Integer i) -> i * i)
                .runAsyncMap(
                        inputs,
                        BatchOptions.builder().maxConcurrent(4).name("squares").build());
        assertThat(batch.id()).matches("grp-[0-9a-f]{8}");
        assertThat(batch.size()).isEqualTo(50);

        List<Integer> results = batch.results(WAIT);

        assertThat(results).isEqualTo(inputs.stream().map(i -> i * i).toList());
        List<Instant[]> intervals = new ArrayList<>();
        for (Optional<JobHandle<Integer>> job : batch.jobs()) {
            JobInfo info = job.orElseThrow().describe();
            intervals.add(new Instant[] {info.startedAt(), info.endedAt()});
        }
        assertThat(maxOverlap(intervals))
                .as(
                        "task intervals %s",
                        intervals.stream()
                                .map(i -> i[0].toEpochMilli() % 100_000 + "-" + i[1].toEpochMilli() % 100_000)
                                .toList())
                .isBetween(1, 4);
        assertThat(batch.statusCounts().count(JobStatus.SUCCEEDED)).isEqualTo(50);
        batch.cleanup(Cleanup.ALL);
        assertThat(session.listJobs()).isEmpty();
    }

    @Test
    void failuresAreReportedByIndexInPlaceAndRetriedAlone() throws Exception {
        Path healed = tmp.resolve("healed");
        String marker = healed.toString();
        BatchHandle<Integer> batch = session.remote((Integer i) -> {
                    if (i % 3 == 1 && !Files.exists(Path.of(marker))) {
                        throw new IllegalArgumentException("bad input " + i);
                    }
                    return i;
                })
                .runAsyncMap(
                        List.of(0, 1, 2, 3, 4, 5, 6, 7),
                        BatchOptions.builder().maxConcurrent(8).build());

        assertThatThrownBy(() -> batch.results(WAIT))
                .isInstanceOf(BatchFailedException.class)
                .satisfies(e -> {
                    BatchFailedException f = (BatchFailedException) e;
                    assertThat(f.failures()).containsOnlyKeys(1, 4, 7);
                    assertThat(f.failures().get(4))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage("bad input 4");
                    assertThat(f.partialResults()).containsExactly(0, null, 2, 3, null, 5, 6, null);
                });
        List<Object> inPlace = batch.results(WAIT, ReturnExceptions.IN_PLACE);
        assertThat(inPlace.get(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(inPlace.get(2)).isEqualTo(2);
        assertThat(batch.failures()).containsOnlyKeys(1, 4, 7);

        List<String> before =
                batch.jobs().stream().map(j -> j.orElseThrow().id()).toList();
        Files.createFile(healed);
        batch.retryFailed();
        assertThat(batch.results(WAIT)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        List<String> after =
                batch.jobs().stream().map(j -> j.orElseThrow().id()).toList();
        for (int i = 0; i < 8; i++) {
            if (i % 3 == 1) {
                assertThat(after.get(i)).isNotEqualTo(before.get(i));
            } else {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
    }

    @Test
    void cancelStopsRunningChildrenAndInputsNotYetSubmitted() throws Exception {
        BatchHandle<Integer> batch = session.remote((Integer i) -> Jobs.sleepThen(20_000, i))
                .runAsyncMap(
                        IntStream.range(0, 10).boxed().toList(),
                        BatchOptions.builder().maxConcurrent(2).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (batch.statusCounts().count(JobStatus.RUNNING) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        batch.cancel();
        BatchCounts counts = batch.statusCounts();
        assertThat(counts.count(JobStatus.CANCELLED)).isEqualTo(2);
        assertThat(counts.notSubmitted()).isEqualTo(8);
        Thread.sleep(800); // the submission loop must not start anything after the cancel
        assertThat(batch.statusCounts().notSubmitted()).isEqualTo(8);
        List<Object> results = batch.results(WAIT, ReturnExceptions.IN_PLACE);
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(JobCancelledException.class));
        batch.retryFailed();
        assertThat(batch.statusCounts().notSubmitted()).isEqualTo(8);
    }

    @Test
    void aBatchWhoseSubmitterIsKilledRightAwayRunsEveryInputExactlyOnce() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        BatchSubmitter.class.getName(),
                        "30",
                        "10",
                        "1000")
                .redirectError(tmp.resolve("submitter.err").toFile());
        b.environment().putAll(kinetic.environment());
        Process submitter = b.start();
        String line = new BufferedReader(new InputStreamReader(submitter.getInputStream())).readLine();
        assertThat(line).startsWith("BATCH ");
        String id = line.substring(6);
        submitter.destroyForcibly(); // SIGKILL, the moment runAsyncMap returned
        submitter.waitFor();

        try (KineticSession other = kinetic.session()) {
            BatchHandle<Integer> batch = other.attachBatch(id);
            assertThat(batch.size()).isEqualTo(30);
            assertThat(batch.results(WAIT))
                    .isEqualTo(IntStream.range(0, 30).map(i -> i * 10).boxed().toList());
            batch.resume(); // nothing left to run: no input runs twice
            Thread.sleep(500);
            List<JobInfo> jobs = other.listJobs();
            assertThat(jobs).as("one job per input, each ran once").hasSize(30);
            assertThat(jobs).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.SUCCEEDED));
        }
    }

    @Test
    void aClaimWhoseTakerDiedBeforeRecordingItsJobIsRunUnderThatJobId() throws Exception {
        BatchHandle<Integer> batch = session.remote((Integer i) -> Jobs.sleepThen(1500, i))
                .runAsyncMap(
                        List.of(0, 1, 2),
                        BatchOptions.builder().maxConcurrent(1).build());
        // Before the worker (a JVM still starting) gets to input 1: someone claimed it and died before recording it.
        Files.createDirectories(kinetic.storeDir().resolve("groups/" + batch.id() + "/children/000001"));
        Files.writeString(
                kinetic.storeDir().resolve("groups/" + batch.id() + "/children/000001/000"),
                "cpu-lost-20260101-000000-0000001");

        assertThat(batch.results(WAIT)).containsExactly(0, 1, 2);
        assertThat(batch.jobs().get(1).orElseThrow().id()).isEqualTo("cpu-lost-20260101-000000-0000001");
        assertThat(session.listJobs()).hasSize(3);
    }

    @Test
    void asCompletedYieldsChildrenInCompletionOrderAndRetriesAreAutomatic() throws Exception {
        Path flaky = tmp.resolve("flaky-once");
        String marker = flaky.toString();
        BatchHandle<Integer> batch = session.remote((Integer ms) -> {
                    if (ms == 0 && Files.notExists(Path.of(marker))) {
                        Files.createFile(Path.of(marker));
                        throw new IllegalStateException("transient");
                    }
                    return Jobs.sleepThen(ms, ms);
                })
                .runAsyncMap(
                        List.of(4000, 0, 1500),
                        BatchOptions.builder().maxConcurrent(3).retries(1).build());

        List<Integer> order = batch.asCompleted()
                .filter(j -> j.status() == JobStatus.SUCCEEDED)
                .map(j -> (Integer) j.result(WAIT, Cleanup.NONE))
                .toList();

        assertThat(batch.results(WAIT)).containsExactly(4000, 0, 1500);
        assertThat(order).contains(1500, 4000);
        assertThat(order.indexOf(1500)).isLessThan(order.indexOf(4000));
        assertThat(Files.exists(flaky)).isTrue();
    }

    @Test
    void badInputsAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> session.remote((Object o) -> o).runAsyncMap(List.of(1, new Object())))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("input 1");
        assertThatThrownBy(() -> session.remote((Integer i) -> i).runAsyncMap(List.of()))
                .hasMessageContaining("at least one input");
        assertThatThrownBy(() -> BatchOptions.builder().maxConcurrent(0).build())
                .hasMessageContaining("maxConcurrent");
        assertThatThrownBy(() -> session.attachBatch("grp-nothere")).hasMessageContaining("not a batch id");
        assertThat(kinetic.storeDir().resolve("groups")).doesNotExist();
        assertThat(kinetic.storeDir().resolve("jobs")).doesNotExist();
    }

    private static int maxOverlap(List<Instant[]> intervals) {
        int max = 0;
        for (Instant[] a : intervals) {
            int n = 0;
            for (Instant[] b : intervals) {
                if (!b[0].isAfter(a[0]) && b[1].isAfter(a[0])) {
                    n++;
                }
            }
            max = Math.max(max, n);
        }
        return max;
    }
}
