package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.testing.CollectResult;
import dev.kinetic.testing.GangJobs;
import dev.kinetic.testing.SubmitGangAndWait;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-host jobs on the local backend: four real agents, each with its own task JVM, that talk to each other over
 * TCP through the coordinator address and learn of each other's end through the store.
 */
class MultiHostLocalTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern TASK_PID = Pattern.compile("task-pid (\\d+)");

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
    void fourHostsSendTheirIndexToHostZeroOverASocketAndTheJobReturnsTheSum() throws Exception {
        JobHandle<Integer> job = session.remote(GangJobs::sumOfIndices).hosts(4).runAsync();
        assertThat(job.hosts()).isEqualTo(4);
        assertThat(job.describe().hosts()).isEqualTo(4);

        assertThat(job.result(WAIT, Cleanup.NONE)).isEqualTo(6);

        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(session.listJobs()).extracting(JobInfo::id).containsExactly(job.id());
        // Logs per host: host 0's is the job's, each other host has its own.
        assertThat(job.tail(50)).anyMatch(l -> l.startsWith("host 0 of 4")).contains("sum 6");
        for (int host = 1; host < 4; host++) {
            assertThat(job.tail(50, host))
                    .as("host %d's log", host)
                    .anyMatch(l -> l.startsWith("host "))
                    .contains("host " + (host) + " sent " + host);
        }
        List<String> followed = new CopyOnWriteArrayList<>();
        job.followLogs(2, followed::add);
        assertThat(followed).contains("host 2 sent 2");
        assertThat(String.join("\n", job.logs())).contains("coordinator 127.0.0.1:");
        assertThatThrownBy(() -> job.tail(10, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hosts 0 to 3")
                .hasMessageContaining("no host 4");
        // Every host saw the same coordinator, host 0's address, and every host's address in index order.
        String hostsLine = job.tail(50, 3).stream()
                .filter(l -> l.startsWith("host 3 of 4"))
                .findFirst()
                .orElseThrow();
        Matcher m = Pattern.compile("coordinator (127\\.0\\.0\\.1:\\d+), hosts (\\S+),")
                .matcher(hostsLine);
        assertThat(m.find()).as(hostsLine).isTrue();
        String[] addresses = m.group(2).split(",");
        assertThat(addresses).hasSize(4).doesNotHaveDuplicates();
        assertThat(addresses[0]).isEqualTo(m.group(1));

        // The store layout: host 0 keeps the job's keys, hosts 1..3 their own; outputs likewise.
        Path jobDir = kinetic.storeDir().resolve(JobLayout.jobPrefix(JobId.of(job.id())));
        assertThat(jobDir.resolve("result.json")).exists();
        for (int host = 1; host < 4; host++) {
            Path h = jobDir.resolve("hosts").resolve(String.valueOf(host));
            assertThat(h.resolve("result.json")).exists();
            assertThat(h.resolve("log")).isDirectory();
            assertThat(h.resolve("events")).isDirectory();
        }
        Path outputs = kinetic.storeDir().resolve(JobLayout.outputs(JobId.of(job.id())));
        assertThat(outputs.resolve("part-0.txt")).hasContent("from host 0");
        assertThat(outputs.resolve("host-2/part-2.txt")).hasContent("from host 2");
        assertThat(job.outputs()).extracting(JobHandle.OutputFile::path).contains("part-0.txt", "host-3/part-3.txt");

        job.cleanup(Cleanup.ALL);
        assertThat(jobDir).doesNotExist();
        assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
    }

    @Test
    void whenHostTwoThrowsTheJobFailsNamingItAndTheOtherHostsAreStoppedWithinSeconds() throws Exception {
        JobHandle<Integer> job =
                session.remote(() -> GangJobs.failOn(2)).hosts(4).runAsync();

        assertThatThrownBy(() -> job.result(WAIT))
                .isInstanceOf(JobFailedException.class)
                .satisfies(e -> {
                    JobFailedException f = (JobFailedException) e;
                    assertThat(f.host()).isEqualTo(2);
                    assertThat(f.getMessage()).contains("on host 2 of 4").contains("--host 2");
                    assertThat(f.phase()).isEqualTo("execute");
                    assertThat(f.getCause())
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("host 2 ran out of patience");
                    assertThat(f.getCause().getStackTrace()[0].getMethodName()).isEqualTo("failOn");
                });
        Instant returned = Instant.now();

        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason()).startsWith("host 2 of 4: ").contains("ran out of patience");
        // The others were stopped by the gang, not left sleeping for two minutes.
        Instant failedAt = failureTime(job.id(), 2);
        System.out.println("host 2 failed -> every host stopped and result() threw: "
                + Duration.between(failedAt, returned).toMillis() + " ms");
        assertThat(Duration.between(failedAt, returned))
                .as("from host 2's failure to every host stopped")
                .isLessThan(Duration.ofSeconds(20));
        for (int host = 0; host < 4; host++) {
            long pid = taskPid(job, host);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("host %d's task (pid %d) is stopped", host, pid)
                    .isFalse();
        }
        assertThat(agentsAlive(job)).as("agents still running").isZero();
        assertThat(job.tail(20, 1)).noneMatch(l -> l.contains("Exception"));
    }

    @Test
    void cancelMidRunEndsAllFourHosts() throws Exception {
        JobHandle<Integer> job =
                session.remote(GangJobs::sleepOnEveryHost).hosts(4).runAsync();
        awaitStatus(job, JobStatus.RUNNING);
        List<Long> tasks = new ArrayList<>();
        for (int host = 0; host < 4; host++) {
            tasks.add(taskPid(job, host));
        }

        assertThat(job.cancel()).isTrue();

        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        for (long pid : tasks) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("task %d", pid)
                    .isFalse();
        }
        assertThat(agentsAlive(job)).isZero();
        assertThatThrownBy(() -> job.result(WAIT)).isInstanceOf(JobCancelledException.class);
        assertThat(job.cancel()).as("already ended").isFalse();
    }

    @Test
    @org.junit.jupiter.api.Tag("faults")
    void theSubmitterIsKilledAfterSubmitAndAnotherJvmCollectsTheResult() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        ProcessBuilder submit = new ProcessBuilder(java, "-cp", cp, SubmitGangAndWait.class.getName())
                .redirectError(new File(kinetic.home().toFile(), "submitter.err"));
        submit.environment().putAll(kinetic.environment());
        Process submitter = submit.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(submitter.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("submitter output").startsWith("JOB ");
        submitter.destroyForcibly();
        assertThat(submitter.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ProcessBuilder collect = new ProcessBuilder(java, "-cp", cp, CollectResult.class.getName(), line.substring(4))
                .redirectErrorStream(true);
        collect.environment().putAll(kinetic.environment());
        Process collector = collect.start();
        String collected = new String(collector.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(collector.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(collected).contains("VALUE 6");
    }

    @Test
    void aHostCountThatDisagreesWithTheTpuSliceIsRefusedNamingBoth() {
        assertThatThrownBy(() -> session.remote(() -> 1)
                        .accelerator("tpu-v5e-16")
                        .hosts(2)
                        .runAsync())
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("'tpu-v5e-16' is a TPU slice of 4 hosts (4x4)")
                .hasMessageContaining("hosts(2)");
        assertThatThrownBy(() -> session.remote(() -> 1).hosts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1, got 0");
        assertThat(session.listJobs()).isEmpty();
    }

    private void awaitStatus(JobHandle<?> job, JobStatus wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JobInfo info = job.describe();
        while (info.status() != wanted) {
            assertThat(info.status().isTerminal()).as("ended early: %s", info).isFalse();
            assertThat(System.nanoTime()).as("still %s", info).isLessThan(deadline);
            Thread.sleep(100);
            info = job.describe();
        }
    }

    /** The pid host {@code host}'s task printed, waiting for the line to reach its log. */
    private static long taskPid(JobHandle<?> job, int host) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (String l : job.tail(20, host)) {
                Matcher m = TASK_PID.matcher(l);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            assertThat(System.nanoTime()).as("host %d printed its pid", host).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private Instant failureTime(String id, int host) throws Exception {
        Path events = kinetic.storeDir().resolve(JobLayout.eventPrefix(JobId.of(id), host));
        try (var files = Files.list(events)) {
            String name = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("-ended-failed"))
                    .findFirst()
                    .orElseThrow();
            return Instant.ofEpochMilli(Long.parseLong(name.substring(0, name.indexOf('-'))));
        }
    }

    /** How many of the job's agents still run, from the pid files in its local state directory. */
    private long agentsAlive(JobHandle<?> job) throws Exception {
        Path state = kinetic.home().resolve("local").resolve(job.id());
        long alive = 0;
        try (var files = Files.walk(state)) {
            for (Path pid :
                    files.filter(p -> p.getFileName().toString().equals("pid")).toList()) {
                long n = Long.parseLong(Files.readString(pid).trim().split(" ")[0]);
                alive += ProcessHandle.of(n).map(ProcessHandle::isAlive).orElse(false) ? 1 : 0;
            }
        }
        return alive;
    }
}
