package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.spi.Json;
import dev.kinetic.testing.BatchSubmitAndExit;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches on the local backend's workers: durable when {@code runAsyncMap} returns, workers that take inputs one
 * after another (keeping their JVM, or a fresh one per input), a worker killed mid-input, and a batch left without
 * workers, which says so.
 */
class BatchWorkersTest {
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
    void aSubmitterThatCallsSystemExitRightAfterRunAsyncMapLeavesABatchThatRunsToTheEnd() throws Exception {
        ProcessBuilder b = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        BatchSubmitAndExit.class.getName())
                .redirectError(tmp.resolve("submitter.err").toFile());
        b.environment().putAll(kinetic.environment());
        Process submitter = b.start();
        String line = new BufferedReader(new InputStreamReader(submitter.getInputStream())).readLine();
        assertThat(submitter.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(submitter.exitValue()).isZero();
        assertThat(line).startsWith("BATCH ");
        String id = line.substring(6);

        try (KineticSession other = kinetic.session()) {
            BatchHandle<Integer> batch = other.attachBatch(id);
            assertThatThrownBy(() -> batch.results())
                    .isInstanceOf(BatchFailedException.class)
                    .satisfies(e -> {
                        BatchFailedException f = (BatchFailedException) e;
                        assertThat(f.failures()).containsOnlyKeys(2, 5);
                        assertThat(f.failures().get(5))
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessage("input 5 is bad");
                        assertThat(f.partialResults()).containsExactly(0, 10, null, 30, 40, null, 60, 70);
                    });
            BatchCounts counts = batch.statusCounts();
            assertThat(counts.count(JobStatus.SUCCEEDED)).isEqualTo(6);
            assertThat(counts.count(JobStatus.FAILED)).isEqualTo(2);
            assertThat(counts.finished()).isEqualTo(8);
            assertThat(counts.queued()).isZero();
            assertThat(counts.running()).isZero();
            assertThat(counts.done()).isTrue();
        }
    }

    @Test
    void perInputIsolationGivesEveryInputAFreshJvmAndWorkersKeepTheirsOtherwise() {
        List<Integer> inputs = IntStream.range(0, 12).boxed().toList();
        BatchHandle<String> fresh = session.remote((Integer i) -> Jobs.countCalls(i))
                .runAsyncMap(
                        inputs,
                        BatchOptions.builder()
                                .maxConcurrent(2)
                                .isolation(BatchOptions.Isolation.PER_INPUT)
                                .build());
        BatchHandle<String> reused = session.remote((Integer i) -> Jobs.countCalls(i))
                .runAsyncMap(inputs, BatchOptions.builder().maxConcurrent(2).build());

        List<String> perInput = fresh.results(WAIT);
        List<String> perWorker = reused.results(WAIT);

        assertThat(perInput)
                .as("count@pid per input")
                .allSatisfy(v -> assertThat(v).startsWith("1@"));
        assertThat(perInput.stream().map(v -> v.substring(2)).distinct()).hasSize(12);
        // With reuse, each worker's JVM counts its own calls: 1, 2, 3, ... in the order it took its inputs.
        Map<String, List<Integer>> byJvm = new HashMap<>();
        for (String v : perWorker) {
            String[] parts = v.split("@");
            byJvm.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(Integer.parseInt(parts[0]));
        }
        assertThat(byJvm.size()).as("task JVMs: %s", perWorker).isBetween(1, 2);
        for (List<Integer> counts : byJvm.values()) {
            assertThat(counts)
                    .as("calls of one JVM, in input order: %s", perWorker)
                    .isSorted();
            assertThat(counts.stream().sorted().toList())
                    .isEqualTo(IntStream.rangeClosed(1, counts.size()).boxed().toList());
        }
        assertThat(perWorker)
                .anySatisfy(v -> assertThat(Integer.parseInt(v.split("@")[0])).isGreaterThan(1));
        // Each input is still a job of its own, with its own log.
        JobHandle<String> third = reused.jobs().get(3).orElseThrow();
        assertThat(third.describe().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(session.listJobs()).hasSize(24);
    }

    @Test
    void aWorkerKilledMidInputLeavesItToAnotherWorkerWhichCompletesItOnce() throws Exception {
        Path done = Files.createDirectories(tmp.resolve("done"));
        String dir = done.toString();
        String slow = tmp.resolve("slow-once").toString();
        BatchHandle<Integer> batch = session.remote(
                        (Integer i) -> Jobs.sleepThenRecord(i == 0 && Jobs.firstTime(slow) ? 20_000 : 500, i, dir))
                .runAsyncMap(
                        List.of(0, 1, 2, 3, 4, 5),
                        BatchOptions.builder().maxConcurrent(2).retries(1).build());
        JobHandle<Integer> first = await(() -> batch.jobs().get(0), j -> j.status() == JobStatus.RUNNING);
        Map<?, ?> record = Json.MAPPER.readValue(
                Files.readAllBytes(kinetic.storeDir().resolve("jobs/" + first.id() + "/job.json")), Map.class);
        String worker = (String) ((Map<?, ?>) record.get("backendRef")).get("batchWorker");
        Map<?, ?> lease = Json.MAPPER.readValue(
                Files.readAllBytes(kinetic.storeDir().resolve("groups/" + batch.id() + "/workers/" + worker)),
                Map.class);
        long pid = ((Number) lease.get("pid")).longValue();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, mid-input

        assertThat(batch.results(WAIT)).containsExactly(0, 1, 2, 3, 4, 5);

        JobHandle<Integer> last = batch.jobs().get(0).orElseThrow();
        assertThat(last.id()).isNotEqualTo(first.id());
        JobInfo lost = first.describe();
        assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
        assertThat(lost.reason()).contains("worker " + worker).contains("lease ran out");
        try (Stream<Path> files = Files.list(done)) {
            List<String> completed =
                    files.map(p -> p.getFileName().toString().split("-")[0]).toList();
            assertThat(completed).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
        }
        BatchCounts counts = batch.statusCounts();
        assertThat(counts.count(JobStatus.SUCCEEDED)).isEqualTo(6);
        assertThat(counts.count(JobStatus.FAILED)).isZero();
        assertThat(counts.finished()).isEqualTo(6);
        assertThat(counts.queued()).isZero();
        assertThat(counts.running()).isZero();
        assertThat(session.listJobs())
                .filteredOn(j -> j.status() == JobStatus.SUCCEEDED)
                .hasSize(6);
    }

    @Test
    void failFastStopsTakingNewInputsAfterTheFirstFailure() {
        BatchHandle<Integer> batch = session.remote((Integer i) -> Jobs.tenTimesUnlessTwoOrFive(i))
                .runAsyncMap(
                        IntStream.range(0, 10).boxed().toList(),
                        BatchOptions.builder().maxConcurrent(1).failFast(true).build());

        assertThatThrownBy(() -> batch.results(WAIT))
                .isInstanceOf(BatchFailedException.class)
                .satisfies(e -> {
                    BatchFailedException f = (BatchFailedException) e;
                    assertThat(f.failures().get(2)).isInstanceOf(IllegalArgumentException.class);
                    assertThat(f.failures().keySet()).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
                    assertThat(f.failures().get(3)).isInstanceOf(JobCancelledException.class);
                    assertThat(f.partialResults()).startsWith(0, 10, null);
                });
        assertThat(batch.jobs().stream().filter(Optional::isPresent))
                .as("inputs taken")
                .hasSize(3);
        assertThat(batch.asCompleted().count())
                .as("the jobs that ran; the inputs never taken are not waited for")
                .isEqualTo(3);
        BatchCounts counts = batch.statusCounts();
        assertThat(counts.notSubmitted()).isEqualTo(7);
        assertThat(counts.queued()).isZero();
        assertThat(counts.finished()).isEqualTo(10);
    }

    @Test
    void resultsSaySoWhenNoWorkerIsLeftAndResumeStartsNewOnes() throws Exception {
        String slow = tmp.resolve("slow-once").toString();
        BatchHandle<Integer> batch = session.remote(
                        (Integer i) -> Jobs.sleepThen(i == 0 && Jobs.firstTime(slow) ? 60_000 : 200, i))
                .runAsyncMap(
                        List.of(0, 1, 2),
                        BatchOptions.builder().maxConcurrent(1).retries(1).build());
        await(() -> batch.jobs().get(0), j -> j.status() == JobStatus.RUNNING);
        BatchCounts running = batch.statusCounts();
        assertThat(running.running()).isEqualTo(1);
        assertThat(running.queued()).isEqualTo(2);
        assertThat(running.workersAlive()).isEqualTo(1);
        // The pool is gone as if deleted by hand: every worker process killed.
        try (Stream<Path> pools = Files.list(kinetic.home().resolve("local"))) {
            for (Path pool : pools.filter(p -> p.getFileName().toString().startsWith(batch.id() + "-workers"))
                    .toList()) {
                String pid = Files.readString(pool.resolve("w0").resolve("pid")).split(" ")[0];
                ProcessHandle.of(Long.parseLong(pid)).orElseThrow().destroyForcibly();
            }
        }

        assertThatThrownBy(() -> batch.results(WAIT))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("no worker will take them")
                .hasMessageContaining("resume()")
                .hasMessageContaining("kinetic batches resume " + batch.id());

        BatchHandle<Integer> resumed = session.<Integer>attachBatch(batch.id()).resume();
        assertThat(resumed.results(WAIT)).containsExactly(0, 1, 2);
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> what, Predicate<T> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<T> value = what.get();
            if (value.isPresent() && condition.test(value.get())) {
                return value.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within 60 s");
    }
}
