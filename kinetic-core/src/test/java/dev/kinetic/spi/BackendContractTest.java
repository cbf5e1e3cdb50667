package dev.kinetic.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Backend} must do, through the public API: a job goes PENDING → RUNNING → SUCCEEDED, a failure
 * comes back with its reason, cancel stops it, cleanup removes it (NOT_FOUND after), list finds it, logs are readable
 * while it runs and after it ends, a task killed under the agent reads FAILED, and a multi-host job is one job whose
 * hosts reach each other through the coordinator address. Run it against a backend by
 * extending it, as {@code BlobStoreContractTest} is for stores; a new backend knows exactly what it must pass.
 */
public abstract class BackendContractTest {
    @TempDir
    protected Path tmp;

    protected KineticSession session;

    /** A Kinetic installation under {@code root} whose sessions use the backend under test. */
    protected abstract TestKinetic kinetic(Path root) throws Exception;

    /** How long a state change may take on this backend (scheduling, a JVM start). */
    protected Duration patience() {
        return Duration.ofSeconds(60);
    }

    @BeforeEach
    void openSession() throws Exception {
        session = kinetic(tmp).session();
    }

    @AfterEach
    void closeSession() {
        session.close();
    }

    /** Waits for a file a test creates, so a job runs exactly as long as the test needs. */
    static String awaitGate(String gate, String line) throws InterruptedException {
        System.out.println(line);
        System.out.flush();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!Files.exists(Path.of(gate)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("gate opened");
        return "passed " + line;
    }

    @Test
    void aMultiHostJobIsOneJobWithHostZerosValueAndALogPerHost() throws Exception {
        JobHandle<Integer> job = session.remote(dev.kinetic.testing.GangJobs::sumOfIndices)
                .hosts(2)
                .runAsync();
        assertThat(job.result(patience(), Cleanup.NONE))
                .as("host 0 received host 1's index")
                .isEqualTo(1);
        assertThat(session.listJobs()).singleElement().satisfies(i -> {
            assertThat(i.hosts()).isEqualTo(2);
            assertThat(i.status()).isEqualTo(JobStatus.SUCCEEDED);
        });
        assertThat(job.tail(20, 0)).contains("sum 1");
        assertThat(job.tail(20, 1)).contains("host 1 sent 1");
        job.cleanup(Cleanup.ALL);
        assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
    }

    @Test
    void aJobGoesFromPendingToRunningToSucceeded() throws Exception {
        String gate = tmp.resolve("gate").toString();
        JobHandle<String> job = session.remote(() -> awaitGate(gate, "waiting")).runAsync();
        List<JobStatus> seen = new CopyOnWriteArrayList<>();
        seen.add(job.status());
        assertThat(seen.get(0)).isIn(JobStatus.PENDING, JobStatus.RUNNING);
        await(
                job,
                i -> record(seen, i).status() == JobStatus.RUNNING
                        && job.tail(5).contains("waiting"));
        Files.createFile(Path.of(gate));
        assertThat(job.result(patience(), Cleanup.NONE)).isEqualTo("passed waiting");
        seen.add(job.status());
        assertThat(seen).containsSubsequence(JobStatus.RUNNING, JobStatus.SUCCEEDED);
        assertThat(seen.indexOf(JobStatus.SUCCEEDED)).isGreaterThan(seen.lastIndexOf(JobStatus.PENDING));
        JobInfo info = job.describe();
        assertThat(info.startedAt()).isNotNull();
        assertThat(info.endedAt()).isNotNull();
        assertThat(info.exitCode()).isEqualTo(0);
    }

    @Test
    void aFailureComesBackWithItsExceptionAndReason() {
        JobHandle<Object> job = session.remote(() -> {
                    throw new IllegalStateException("bad learning rate 7");
                })
                .runAsync();
        assertThatThrownBy(() -> job.result(patience()))
                .isInstanceOf(JobFailedException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad learning rate 7")
                .satisfies(e -> assertThat(((JobFailedException) e).phase()).isEqualTo("execute"));
        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason()).contains("IllegalStateException").contains("bad learning rate 7");
        assertThat(job.tail(100)).anyMatch(l -> l.contains("bad learning rate 7"));
    }

    @Test
    void cancelStopsARunningJob() throws Exception {
        String gate = tmp.resolve("never").toString();
        JobHandle<String> job =
                session.remote(() -> awaitGate(gate, "cancel me")).runAsync();
        await(job, i -> i.status() == JobStatus.RUNNING && job.tail(5).contains("cancel me"));
        assertThat(job.cancel()).isTrue();
        await(job, i -> i.status() == JobStatus.CANCELLED);
        assertThatThrownBy(() -> job.result(patience())).isInstanceOf(JobCancelledException.class);
        assertThat(job.cancel()).as("cancelling an ended job changes nothing").isFalse();
        assertThat(job.tail(20)).doesNotContain("gate opened");
    }

    @Test
    void cleanupRemovesTheJobAndStatusThenReadsNotFound() {
        JobHandle<Integer> job = session.remote(() -> 6 * 7).runAsync();
        assertThat(job.result(patience(), Cleanup.NONE)).isEqualTo(42);
        assertThat(session.attach(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
        job.cleanup(Cleanup.ALL);
        assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        assertThatThrownBy(() -> session.attach(job.id()))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining(job.id());
    }

    @Test
    void listFindsJobsNewestFirstAndFinishedOnesToo() throws Exception {
        JobHandle<Integer> first = session.remote(() -> 1).runAsync();
        assertThat(first.result(patience(), Cleanup.NONE)).isEqualTo(1);
        Thread.sleep(1100); // ids and creation times have second resolution
        String gate = tmp.resolve("list-gate").toString();
        JobHandle<String> second =
                session.remote(() -> awaitGate(gate, "listed")).runAsync();
        try {
            List<String> ids = new ArrayList<>();
            for (JobInfo i : session.listJobs()) {
                ids.add(i.id());
            }
            assertThat(ids).containsSubsequence(second.id(), first.id());
            JobInfo finished = session.listJobs().stream()
                    .filter(i -> i.id().equals(first.id()))
                    .findFirst()
                    .orElseThrow();
            assertThat(finished.status()).isEqualTo(JobStatus.SUCCEEDED);
        } finally {
            Files.createFile(Path.of(gate));
            second.result(patience(), Cleanup.NONE);
        }
    }

    @Test
    void logsAreReadableWhileTheJobRunsAndAfterItEnds() throws Exception {
        String gate = tmp.resolve("log-gate").toString();
        JobHandle<String> job = session.remote(() -> {
                    System.out.println("line one");
                    return awaitGate(gate, "line two");
                })
                .runAsync();
        await(job, i -> job.tail(10).contains("line two"));
        assertThat(job.tail(10)).containsSubsequence("line one", "line two");
        List<String> followed = new CopyOnWriteArrayList<>();
        Thread follower = new Thread(() -> job.followLogs(followed::add));
        follower.start();
        Files.createFile(Path.of(gate));
        follower.join(patience().toMillis());
        assertThat(follower.isAlive())
                .as("followLogs returns once the job has ended")
                .isFalse();
        assertThat(followed).containsSubsequence("line one", "line two", "gate opened");
        job.result(patience(), Cleanup.NONE);
        assertThat(job.tail(2)).containsExactly("line two", "gate opened");
        assertThat(job.logs()).containsSubsequence("line one", "line two", "gate opened");
    }

    @Test
    void aTaskKilledUnderItsAgentReadsFailed() throws Exception {
        JobHandle<Integer> job = session.remote(() -> {
                    System.out.println("task-pid " + ProcessHandle.current().pid());
                    System.out.flush();
                    Thread.sleep(120_000);
                    return 1;
                })
                .runAsync();
        await(job, i -> job.tail(5).stream().anyMatch(l -> l.startsWith("task-pid ")));
        long pid = Long.parseLong(job.tail(5).stream()
                .filter(l -> l.startsWith("task-pid "))
                .findFirst()
                .orElseThrow()
                .substring("task-pid ".length())
                .trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        JobInfo info = await(job, i -> i.status() == JobStatus.FAILED);
        assertThat(info.reason()).contains("killed by signal 9");
        assertThatThrownBy(() -> job.result(patience())).isInstanceOf(JobFailedException.class);
    }

    private static JobInfo record(List<JobStatus> seen, JobInfo info) {
        if (seen.isEmpty() || seen.get(seen.size() - 1) != info.status()) {
            seen.add(info.status());
        }
        return info;
    }

    /** Polls the job's description until {@code condition} holds, for at most {@link #patience()}. */
    /**
     * A batch runs on the backend's workers (or, for a backend without them, on jobs this JVM submits): each input is a
     * job of its own, RUNNING while it runs with its output readable, and the results come back in input order.
     */
    @Test
    void aBatchRunsEachInputAsAJobOfItsOwn() throws Exception {
        String gate = tmp.resolve("batch-gate").toString();
        BatchHandle<String> batch = session.remote((Integer i) -> i == 0 ? awaitGate(gate, "input zero") : "input " + i)
                .runAsyncMap(
                        List.of(0, 1, 2),
                        BatchOptions.builder().maxConcurrent(2).build());
        long deadline = System.nanoTime() + patience().toNanos();
        while (batch.jobs().get(0).isEmpty()) {
            assertThat(System.nanoTime()).as("input 0 taken").isLessThan(deadline);
            Thread.sleep(50);
        }
        JobHandle<String> zero = batch.jobs().get(0).orElseThrow();
        await(zero, i -> i.status() == JobStatus.RUNNING && zero.tail(5).contains("input zero"));
        assertThat(batch.statusCounts().running()).isGreaterThanOrEqualTo(1);
        Files.createFile(Path.of(gate));

        assertThat(batch.results(patience())).containsExactly("passed input zero", "input 1", "input 2");
        assertThat(zero.logs()).contains("input zero", "gate opened");
        List<String> ids = new ArrayList<>();
        for (JobInfo j : session.listJobs()) {
            if (j.status() == JobStatus.SUCCEEDED) {
                ids.add(j.id());
            }
        }
        for (var job : batch.jobs()) {
            assertThat(ids).contains(job.orElseThrow().id());
        }
        batch.cleanup(Cleanup.ALL);
    }

    protected JobInfo await(JobHandle<?> job, Predicate<JobInfo> condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience().toNanos();
        JobInfo info = job.describe();
        while (!condition.test(info)) {
            assertThat(System.nanoTime())
                    .as("waiting for job %s; last seen %s", job.id(), info)
                    .isLessThan(deadline);
            Thread.sleep(50);
            info = job.describe();
        }
        return info;
    }
}
