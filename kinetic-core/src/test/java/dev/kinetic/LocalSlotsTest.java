package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.testing.LimitJobs;
import dev.kinetic.testing.SubmitRunsAndExit;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend as a one-node cluster: {@code local-slots}, the queue, and heap sizing (issue 19). */
class LocalSlotsTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void twoSlotsRunAtMostTwoOfFourJobsAtOnceInSubmissionOrderWithoutTheirSubmitter() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "2");
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        List<String> ids = submitFromAnotherJvm(kinetic, runs, 4, 3000);
        assertThat(ids).hasSize(4);

        Map<String, JobInfo> pendingSeen = new HashMap<>();
        try (KineticSession session = kinetic.session()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!allEnded(session, ids)) {
                for (JobInfo info : session.listJobs()) {
                    if (info.status() == JobStatus.PENDING
                            && info.reason() != null
                            && info.reason().startsWith("waiting for a local slot")) {
                        pendingSeen.putIfAbsent(info.id(), info);
                    }
                }
                assertThat(System.nanoTime()).as("the four jobs end").isLessThan(deadline);
                Thread.sleep(100);
            }
            for (int i = 0; i < 4; i++) {
                JobHandle<String> job = session.attach(ids.get(i), String.class);
                assertThat(job.result(WAIT)).isEqualTo("run-" + i);
            }
        }

        // The last two waited, PENDING with the slot reason and their place in the queue, while the first two ran.
        assertThat(pendingSeen).containsKeys(ids.get(2), ids.get(3));
        JobInfo third = pendingSeen.get(ids.get(2));
        assertThat(third.reason()).matches("waiting for a local slot: 2 of 2 in use \\(cpu-slot-.*, cpu-slot-.*\\).*");
        assertThat(third.queuePosition()).isEqualTo(1);
        assertThat(pendingSeen.get(ids.get(3)).queuePosition()).isIn(1, 2);

        // From the recorded start and end times: never more than two at once, and the slots were used.
        List<long[]> intervals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            intervals.add(new long[] {stamp(runs, "run-" + i + ".start"), stamp(runs, "run-" + i + ".end")});
        }
        assertThat(maxOverlap(intervals)).isEqualTo(2);
        assertThat(Math.min(intervals.get(2)[0], intervals.get(3)[0]))
                .as("the later two start only once one of the first two has ended")
                .isGreaterThanOrEqualTo(Math.min(intervals.get(0)[1], intervals.get(1)[1]));
    }

    @Test
    void farBackInTheQueueAJobHasNoProcessUntilItComesNearTheHead() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "1");
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        List<String> ids = submitFromAnotherJvm(kinetic, runs, 5, 1500);
        // One runs, the next two wait as processes (the window for one slot), the last two are only kept.
        Path last = kinetic.home().resolve("local").resolve(ids.get(4));
        assertThat(last.resolve("launch")).exists();
        assertThat(java.nio.file.Files.getPosixFilePermissions(last.resolve("launch")))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(last.resolve("pid")).doesNotExist();
        try (KineticSession session = kinetic.session()) {
            JobInfo kept = session.attach(ids.get(4)).describe();
            assertThat(kept.status()).isEqualTo(JobStatus.PENDING);
            assertThat(kept.reason()).startsWith("waiting for a local slot: 1 of 1 in use (");
            assertThat(kept.queuePosition()).isBetween(2, 4);
            Path fourth = kinetic.home().resolve("local").resolve(ids.get(3));
            // A kept job that is cancelled never starts, and what its launch held is deleted at once.
            assertThat(session.attach(ids.get(4)).cancel()).isTrue();
            assertThat(session.attach(ids.get(4)).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(last.resolve("launch")).doesNotExist();
            for (int i = 0; i < 4; i++) {
                assertThat(session.attach(ids.get(i), String.class).result(WAIT))
                        .isEqualTo("run-" + i);
            }
            assertThat(fourth.resolve("launch"))
                    .as("deleted once its agent started")
                    .doesNotExist();
        }
        Thread.sleep(2000);
        assertThat(runs.resolve("run-4.start")).doesNotExist();
        List<long[]> intervals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            intervals.add(new long[] {stamp(runs, "run-" + i + ".start"), stamp(runs, "run-" + i + ".end")});
        }
        assertThat(maxOverlap(intervals)).isEqualTo(1);
        for (int i = 1; i < 4; i++) {
            assertThat(intervals.get(i)[0])
                    .as("run-%s starts after run-%s", i, i - 1)
                    .isGreaterThanOrEqualTo(intervals.get(i - 1)[1]);
        }
    }

    @Test
    void aJobWhoseAgentIsKilledFreesItsSlotForTheNextOne() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "1");
        try (KineticSession session = kinetic.session()) {
            JobHandle<Integer> first =
                    session.remote(() -> LimitJobs.checkpointThenSleep(60)).runAsync();
            JobHandle<Integer> second = session.remote(() -> 2).runAsync();
            long agent = awaitPid(first, "agent-pid");
            long task = awaitPid(first, "task-pid");
            long child = awaitPid(first, "child-pid");
            try {
                JobInfo waiting = second.describe();
                assertThat(waiting.status()).isEqualTo(JobStatus.PENDING);
                assertThat(waiting.reason()).isEqualTo("waiting for a local slot: 1 of 1 in use (" + first.id() + ")");
                assertThat(waiting.queuePosition()).isEqualTo(1);

                assertThat(new ProcessBuilder("kill", "-9", String.valueOf(agent))
                                .start()
                                .waitFor())
                        .isZero();
                assertThat(second.result(Duration.ofSeconds(30))).isEqualTo(2);
                assertThat(first.status()).isEqualTo(JobStatus.FAILED);
            } finally {
                ProcessHandle.of(task).ifPresent(ProcessHandle::destroyForcibly); // the orphaned task and its child
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aWaitingJobCanBeCancelledAndAJobLargerThanTheMachineRunsAlone() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "1");
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        String dir = runs.toString();
        try (KineticSession session = kinetic.session()) {
            JobHandle<String> running =
                    session.remote(() -> LimitJobs.recordRun(dir, "a", 2500)).runAsync();
            JobHandle<String> big = session.remote(() -> LimitJobs.recordRun(dir, "big", 500))
                    .with(o -> o.backendSetting("cpu", "4"))
                    .runAsync();
            JobHandle<String> cancelled =
                    session.remote(() -> LimitJobs.recordRun(dir, "never", 1)).runAsync();
            awaitReason(cancelled, "waiting for a local slot");
            assertThat(big.describe().reason()).startsWith("waiting for a local slot: 1 of 1 in use (" + running.id());
            assertThat(cancelled.describe().queuePosition()).isEqualTo(2);

            assertThat(cancelled.cancel()).isTrue();
            assertThat(awaitEnd(cancelled).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(running.result(WAIT)).isEqualTo("a");
            assertThat(big.result(WAIT)).isEqualTo("big");
            assertThat(stamp(runs, "big.start")).isGreaterThanOrEqualTo(stamp(runs, "a.end"));
            assertThat(runs.resolve("never.start")).doesNotExist();
        }
    }

    @Test
    void aCancelledRunningJobKeepsItsSlotUntilItsTaskHasStopped() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "1");
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        String dir = runs.toString();
        try (KineticSession session = kinetic.session()) {
            JobHandle<String> slow = session.remote(() -> LimitJobs.slowToStop(dir, "slow", 2000))
                    .runAsync();
            JobHandle<String> next =
                    session.remote(() -> LimitJobs.recordRun(dir, "next", 100)).runAsync();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(runs.resolve("slow.start"))) {
                assertThat(System.nanoTime()).as("the slow job starts").isLessThan(deadline);
                Thread.sleep(50);
            }
            awaitReason(next, "waiting for a local slot: 1 of 1 in use (" + slow.id() + ")");

            assertThat(slow.cancel()).isTrue();
            assertThat(next.result(WAIT)).isEqualTo("next");
            assertThat(awaitEnd(slow).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(stamp(runs, "next.start"))
                    .as("the next job starts only once the cancelled one's task has stopped")
                    .isGreaterThanOrEqualTo(stamp(runs, "slow.end"));
        }
    }

    @Test
    void aMemoryRequestCountsAgainstAboutEightyPercentOfTheMachine() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "4");
        // Each asks for 60 % of what jobs may request together (80 % of the machine): two do not fit side by side.
        String memory = (long) (machineMemory() * 0.8 * 0.6) / (1 << 20) + "Mi";
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        String dir = runs.toString();
        try (KineticSession session = kinetic.session()) {
            JobHandle<String> first = session.remote(() -> LimitJobs.recordRun(dir, "first", 4000))
                    .with(o -> o.backendSetting("memory", memory))
                    .runAsync();
            JobHandle<String> second = session.remote(() -> LimitJobs.recordRun(dir, "second", 100))
                    .with(o -> o.backendSetting("memory", memory))
                    .runAsync();
            JobHandle<String> small =
                    session.remote(() -> LimitJobs.recordRun(dir, "small", 100)).runAsync();
            awaitReason(second, "waiting for local memory: ");
            assertThat(second.describe().reason())
                    .matches("waiting for local memory: [0-9.]+ GiB of [0-9.]+ GiB requested by running jobs \\("
                            + first.id() + "\\); it requests [0-9.]+ GiB");
            // Slots are free, but nobody passes a job that waits: first come, first served.
            JobInfo behind = small.describe();
            assertThat(behind.status()).isEqualTo(JobStatus.PENDING);
            assertThat(behind.reason()).endsWith("; 1 job ahead in the queue");
            assertThat(behind.queuePosition()).isEqualTo(2);

            assertThat(first.result(WAIT)).isEqualTo("first");
            assertThat(second.result(WAIT)).isEqualTo("second");
            assertThat(small.result(WAIT)).isEqualTo("small");
            assertThat(stamp(runs, "second.start")).isGreaterThanOrEqualTo(stamp(runs, "first.end"));
            assertThat(stamp(runs, "small.start")).isGreaterThanOrEqualTo(stamp(runs, "first.end"));
        }
    }

    @Test
    void aTaskWithoutItsOwnHeapGetsOneThatFitsItsMemoryRequest() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        try (KineticSession session = kinetic.session()) {
            long sized = session.remote(() -> Runtime.getRuntime().maxMemory())
                    .with(o -> o.backendSetting("memory", "400Mi"))
                    .runAsync()
                    .result(WAIT);
            assertThat(sized).isBetween(200L << 20, 300L << 20); // -Xmx300m: three quarters of the request
            long own = session.remote(() -> Runtime.getRuntime().maxMemory())
                    .with(o -> o.backendSetting("memory", "400Mi").jvmArgs("-Xmx100m"))
                    .runAsync()
                    .result(WAIT);
            assertThat(own).isLessThanOrEqualTo(100L << 20);

            assertThatThrownBy(() -> session.remote(() -> 1)
                            .with(o -> o.backendSetting("memory", "lots"))
                            .runAsync())
                    .isInstanceOf(KineticException.class)
                    .hasMessageContaining("'lots'")
                    .hasMessageContaining("8Gi");
            assertThat(session.listJobs())
                    .as("refused before anything was written")
                    .isEmpty();
        }
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "4");
        try (KineticSession session = kinetic.session()) {
            long share = session.remote(() -> Runtime.getRuntime().maxMemory())
                    .runAsync()
                    .result(WAIT);
            long machine = machineMemory();
            // No request: three quarters of its slot's share of 80 % of the memory, not the JVM's quarter of it.
            assertThat((double) share).isBetween(0.8 * machine / 4 * 0.75 * 0.9, 0.8 * machine / 4 * 0.75 * 1.01);
        }
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "none");
        try (KineticSession session = kinetic.session()) {
            assertThatThrownBy(() -> session.remote(() -> 1).runAsync())
                    .hasMessageContaining("local-slots='none'")
                    .hasMessageContaining("KINETIC_LOCAL_SLOTS");
        }
    }

    private static long machineMemory() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    private static List<String> submitFromAnotherJvm(TestKinetic kinetic, Path runs, int count, long millis)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SubmitRunsAndExit.class.getName(),
                        runs.toString(),
                        String.valueOf(count),
                        String.valueOf(millis))
                .redirectError(new File(kinetic.home().toFile(), "submitter.err"));
        b.environment().putAll(kinetic.environment());
        Process submitter = b.start();
        List<String> ids = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(submitter.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("JOB ")) {
                    ids.add(line.substring(4));
                }
            }
        }
        assertThat(submitter.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(submitter.exitValue())
                .as("the submitter exited at once, normally")
                .isZero();
        return ids;
    }

    private static boolean allEnded(KineticSession session, List<String> ids) {
        for (String id : ids) {
            if (!session.attach(id).status().isTerminal()) {
                return false;
            }
        }
        return true;
    }

    private static int maxOverlap(List<long[]> intervals) {
        TreeMap<Long, Integer> changes = new TreeMap<>();
        for (long[] i : intervals) {
            changes.merge(i[0], 1, Integer::sum);
            changes.merge(i[1], -1, Integer::sum);
        }
        int now = 0;
        int max = 0;
        for (int delta : changes.values()) {
            now += delta;
            max = Math.max(max, now);
        }
        return max;
    }

    private static long stamp(Path dir, String file) throws Exception {
        return Long.parseLong(Files.readString(dir.resolve(file)).trim());
    }

    private static long awaitPid(JobHandle<?> job, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (String line : job.logs()) {
                if (line.startsWith(name + " ")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                }
            }
            assertThat(System.nanoTime())
                    .as("%s in the log of %s", name, job.id())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitReason(JobHandle<?> job, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (job.describe().reason() == null || !job.describe().reason().startsWith(prefix)) {
            assertThat(System.nanoTime()).as("%s: '%s'", job.id(), prefix).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static JobInfo awaitEnd(JobHandle<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JobInfo info = job.describe();
        while (!info.status().isTerminal()) {
            assertThat(System.nanoTime()).as("%s ends", job.id()).isLessThan(deadline);
            Thread.sleep(50);
            info = job.describe();
        }
        return info;
    }
}
