package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detached-job loop on the local backend, with real agent and task processes and a real store directory. */
class LocalBackendEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;

    @BeforeEach
    void setUp() throws Exception {
        kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KT_SECRET_TOKEN", "s3cr3t");
        kinetic.environment().put("KT_OTHER", "other");
        session = kinetic.session();
    }

    @AfterEach
    void tearDown() {
        session.close();
    }

    @Test
    void returnsTheValueStreamsLogsAndCleansUpOnSuccess() {
        int base = 40;
        JobHandle<Integer> job = session.remote(() -> {
                    System.out.println("job " + System.getenv("KINETIC_JOB_ID") + " token="
                            + System.getenv("KT_SECRET_TOKEN") + " other=" + System.getenv("KT_OTHER"));
                    Files.writeString(
                            Path.of(System.getenv("KINETIC_OUTPUT_DIR")).resolve("model.txt"), "weights");
                    return base + 2;
                })
                .captureEnv("KT_SECRET_*")
                .label("team", "core")
                .runAsync();

        assertThat(job.id()).matches("cpu-returns-the-value[a-z-]*-\\d{8}-\\d{6}-[0-9a-f]{7}");
        assertThat(job.id().length()).isLessThanOrEqualTo(63);
        List<String> streamed = new CopyOnWriteArrayList<>();
        job.followLogs(streamed::add);
        assertThat(streamed).containsExactly("job " + job.id() + " token=s3cr3t other=null");
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.describe().exitCode()).isZero();
        assertThat(job.toJson()).contains("KT_SECRET_TOKEN").doesNotContain("s3cr3t");

        assertThat(job.outputs())
                .extracting(OutputFile::path, OutputFile::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("model.txt", 7L));
        assertThat(job.downloadOutputs(tmp.resolve("downloaded"))).containsExactly(tmp.resolve("downloaded/model.txt"));
        assertThat(tmp.resolve("downloaded/model.txt")).hasContent("weights");

        assertThat(job.result(WAIT)).isEqualTo(42);

        assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        assertThat(kinetic.storeDir().resolve(JobLayout.jobPrefix(JobId.of(job.id()))))
                .doesNotExist();
        assertThat(kinetic.storeDir()
                        .resolve(JobLayout.outputs(JobId.of(job.id())))
                        .resolve("model.txt"))
                .hasContent("weights");
        assertThatThrownBy(() -> session.attach(job.id()))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining("kinetic jobs list");
    }

    @Test
    void remoteExceptionComesBackWithItsTypeAndRemoteStackAndEverythingIsKept() {
        JobHandle<Integer> job =
                session.remote(() -> Jobs.failWith("bad learning rate")).runAsync();

        assertThatThrownBy(() -> job.result(WAIT))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining(job.id())
                .satisfies(e -> {
                    JobFailedException f = (JobFailedException) e;
                    assertThat(f.phase()).isEqualTo("execute");
                    assertThat(f.reason()).isEqualTo("java.lang.IllegalStateException: bad learning rate");
                    assertThat(f.getCause())
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("bad learning rate");
                    assertThat(f.getCause().getStackTrace()[0].getMethodName()).isEqualTo("failWith");
                });
        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason()).contains("bad learning rate");
        assertThat(String.join("\n", job.logs())).contains("IllegalStateException: bad learning rate");
        assertThat(kinetic.storeDir().resolve(JobLayout.record(JobId.of(job.id()))))
                .exists();
        assertThat(kinetic.storeDir().resolve(JobLayout.payload(JobId.of(job.id()))))
                .exists();
    }

    @Test
    void timeoutLeavesTheJobRunningAndTheHandleUsable() {
        JobHandle<Integer> job = session.remote(() -> Jobs.sleepThen(4000, 5)).runAsync();
        assertThatThrownBy(() -> job.result(Duration.ofMillis(300)))
                .isInstanceOf(JobTimeoutException.class)
                .hasMessageContaining("keeps running");
        assertThat(job.status()).isIn(JobStatus.PENDING, JobStatus.RUNNING);
        assertThat(job.resultAsync().join()).isEqualTo(5);
    }

    @Test
    @Tag("faults")
    void negativeTimeoutIsRefused() {
        JobHandle<Integer> job = session.remote(() -> 1).runAsync();
        assertThatThrownBy(() -> job.result(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThat(job.result(WAIT)).isEqualTo(1);
    }

    @Test
    void cancelStopsTheProcessTreeAndIsRecorded() throws Exception {
        JobHandle<Integer> job = session.remote(Jobs::printPidsAndWait).runAsync();
        Map<String, Long> pids = awaitPids(job);
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);

        assertThat(job.cancel()).isTrue();

        assertThat(ProcessHandle.of(pids.get("task-pid")).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(ProcessHandle.of(pids.get("agent-pid")).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> job.result(WAIT)).isInstanceOf(JobCancelledException.class);
        assertThat(job.cancel()).isFalse();
    }

    @Test
    @Tag("faults")
    void systemExitZeroSucceedsWithNullAndOtherCodesFail() {
        JobHandle<String> zero = session.remote(() -> {
                    System.exit(0);
                    return "unreachable";
                })
                .runAsync();
        JobHandle<String> three = session.remote(() -> {
                    System.exit(3);
                    return "unreachable";
                })
                .runAsync();
        assertThat(zero.result(WAIT)).isNull();
        assertThatThrownBy(() -> three.result(WAIT))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("exited with code 3");
        assertThat(three.describe().exitCode()).isEqualTo(3);
    }

    @Test
    @Tag("faults")
    void aTaskOutOfHeapFailsWithTheReason() {
        JobHandle<Object> job = session.remote(() -> {
                    List<long[]> hog = new ArrayList<>();
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                })
                .with(b -> b.jvmArgs("-Xmx48m"))
                .runAsync();
        assertThatThrownBy(() -> job.result(WAIT))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("OutOfMemoryError");
        assertThat(job.describe().reason()).contains("java.lang.OutOfMemoryError: Java heap space");
    }

    @Test
    @Tag("faults")
    void killedTaskFailsWithTheSignal() throws Exception {
        JobHandle<Integer> job = session.remote(Jobs::printPidsAndWait).runAsync();
        Map<String, Long> pids = awaitPids(job);
        ProcessHandle.of(pids.get("task-pid")).orElseThrow().destroyForcibly();
        // Within 5 s of the death: a timeout here would be a JobTimeoutException, not a failure.
        assertThatThrownBy(() -> job.result(java.time.Duration.ofSeconds(5)))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("killed by signal 9");
    }

    @Test
    @Tag("faults")
    void checkpointsOfAKilledTaskSurviveInTheStore() throws Exception {
        JobHandle<Object> job = session.remote(() -> {
                    Path out = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
                    for (int step = 1; ; step++) {
                        Files.writeString(out.resolve("checkpoint.txt"), "step " + step);
                        if (step == 3) {
                            Jobs.printPidsAndWait();
                        }
                        Thread.sleep(100);
                    }
                })
                .runAsync();
        Map<String, Long> pids = awaitPids(job);
        ProcessHandle.of(pids.get("task-pid")).orElseThrow().destroyForcibly();
        assertThatThrownBy(() -> job.result(WAIT)).isInstanceOf(JobFailedException.class);
        assertThat(kinetic.storeDir()
                        .resolve(JobLayout.outputs(JobId.of(job.id())))
                        .resolve("checkpoint.txt"))
                .hasContent("step 3");
        job.cleanup(Cleanup.ALL);
        assertThat(kinetic.storeDir()
                        .resolve(JobLayout.outputs(JobId.of(job.id())))
                        .resolve("checkpoint.txt"))
                .exists();
    }

    @Test
    @Tag("faults")
    void killedAgentFailsAndNeverReadsRunningForever() throws Exception {
        JobHandle<Integer> job = session.remote(Jobs::printPidsAndWait).runAsync();
        Map<String, Long> pids = awaitPids(job);
        ProcessHandle agent = ProcessHandle.of(pids.get("agent-pid")).orElseThrow();
        agent.destroyForcibly();
        agent.onExit().get();
        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason()).contains("agent exited without a result");
        ProcessHandle.of(pids.get("task-pid")).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    @Tag("faults")
    void nonSerializableCaptureFailsBeforeAnythingIsWritten() {
        Socket notSerializable = new Socket();
        assertThatThrownBy(
                        () -> session.remote(() -> notSerializable.isClosed()).runAsync())
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("java.net.Socket")
                .hasMessageContaining("not Serializable");
        assertThat(kinetic.storeDir().resolve("jobs")).doesNotExist();
    }

    @Test
    void tailReadsTheEndAndFollowDeliversEveryLineOnce() {
        JobHandle<Integer> job = session.remote(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        System.out.println("line " + i);
                    }
                    return 1;
                })
                .runAsync();
        List<String> followed = new ArrayList<>();
        job.followLogs(followed::add);
        assertThat(followed).hasSize(20_000);
        assertThat(followed.get(19_999)).isEqualTo("line 19999");
        assertThat(job.tail(3)).containsExactly("line 19997", "line 19998", "line 19999");
        assertThat(job.tail(0)).isEmpty();
        assertThat(job.logs()).isEqualTo(followed);
    }

    @Test
    void listShowsNewestFirstIncludingFinishedJobs() {
        JobHandle<Integer> first = session.remote(() -> 1).displayName("first").runAsync();
        first.result(WAIT, Cleanup.NONE);
        JobHandle<Integer> second = session.remote(() -> Jobs.sleepThen(3000, 2))
                .displayName("second")
                .label("k", "v")
                .runAsync();
        List<JobInfo> jobs = session.listJobs();
        assertThat(jobs).extracting(JobInfo::id).containsExactly(second.id(), first.id());
        assertThat(jobs.get(1).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(jobs.get(0).status()).isIn(JobStatus.PENDING, JobStatus.RUNNING);
        assertThat(session.listJobs(Map.of("k", "v"), 0))
                .extracting(JobInfo::id)
                .containsExactly(second.id());
        second.cancel();
    }

    @Test
    @Tag("faults")
    void unknownAndMalformedIdsAreNotFound() {
        assertThatThrownBy(() -> session.attach("cpu-nothing-20260101-000000-abcdef1"))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining("kinetic jobs list");
        assertThatThrownBy(() -> session.attach("../../etc/passwd"))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining("not a job id");
    }

    @Test
    @Tag("faults")
    void corruptRecordGivesAClearError() throws Exception {
        JobHandle<Integer> job = session.remote(() -> 1).runAsync();
        job.result(WAIT, Cleanup.NONE);
        Files.writeString(kinetic.storeDir().resolve(JobLayout.record(JobId.of(job.id()))), "{\"id\": \"x\", broken");
        assertThatThrownBy(() -> session.attach(job.id()))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("job record")
                .hasMessageContaining("corrupt")
                .hasMessageNotContaining("com.fasterxml");
    }

    @Test
    @Tag("faults")
    void unknownAcceleratorIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(
                        () -> session.remote(() -> 1).accelerator("tpu-v9z-3").runAsync())
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("tpu-v9z-3")
                .hasMessageContaining("l4");
        assertThat(kinetic.storeDir().resolve("jobs")).doesNotExist();
    }

    /** Reads the pids the job prints (see {@link Jobs#printPidsAndWait()}). */
    private static Map<String, Long> awaitPids(JobHandle<?> job) throws InterruptedException {
        Pattern p = Pattern.compile("(task-pid|agent-pid) (\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Long> pids = new java.util.HashMap<>();
            for (String line : job.logs()) {
                Matcher m = p.matcher(line);
                if (m.matches()) {
                    pids.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
            if (pids.size() == 2) {
                return pids;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job never printed its pids; log: " + job.logs());
    }

    static String readLine(Process p) throws Exception {
        return new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    }
}
