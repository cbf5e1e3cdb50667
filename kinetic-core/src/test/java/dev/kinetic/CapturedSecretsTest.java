package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.internal.observe.DefaultJobHandle;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captured environment values ({@code captureEnv}) are secrets: the task sees them, but no file of the store, the
 * record, the events, the log or the local backend's state holds them, and a job run again without its submitter
 * says they are gone instead of running without them.
 */
class CapturedSecretsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "sk-planted-" + Long.toHexString(System.nanoTime()) + "-do-not-store";

    @TempDir
    Path tmp;

    /** What the task saw, without giving the value back (a returned value would be stored as the result). */
    static String seen(String name) {
        String v = System.getenv(name);
        return v == null ? "missing" : Hashing.sha256(v.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theTaskSeesTheValueAndNoFileOfTheStoreOrTheLocalStateHoldsIt() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("PROBE_SECRET_TOKEN", SECRET);
        try (KineticSession session = kinetic.session()) {
            JobHandle<String> job = session.remote(() -> {
                        System.out.println("token seen: " + (System.getenv("PROBE_SECRET_TOKEN") != null));
                        return seen("PROBE_SECRET_TOKEN");
                    })
                    .captureEnv("PROBE_SECRET_*")
                    .runAsync();
            assertThat(job.result(WAIT, Cleanup.NONE))
                    .isEqualTo(Hashing.sha256(SECRET.getBytes(StandardCharsets.UTF_8)));
            assertThat(job.tail(5)).contains("token seen: true");
            assertThat(job.toJson()).contains("PROBE_SECRET_TOKEN").doesNotContain(SECRET);
            assertThat(job.describe().toString()).doesNotContain(SECRET);
            assertThat(filesContaining(kinetic.home(), SECRET))
                    .as("files under KINETIC_HOME (store, local state)")
                    .isEmpty();
        }
    }

    /**
     * A batch's inputs run on workers (issue 16), which the backend starts with the captured values in their
     * environment: every input sees them, with a task JVM kept for many inputs and with one per input.
     */
    @Test
    void everyInputOfABatchSeesTheValueOnItsWorkerAndNoFileHoldsIt() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("PROBE_SECRET_TOKEN", SECRET);
        String expected = Hashing.sha256(SECRET.getBytes(StandardCharsets.UTF_8));
        try (KineticSession session = kinetic.session()) {
            for (BatchOptions.Isolation isolation : BatchOptions.Isolation.values()) {
                BatchHandle<String> batch = session.remote((Integer i) -> seen("PROBE_SECRET_TOKEN"))
                        .captureEnv("PROBE_SECRET_*")
                        .runAsyncMap(
                                List.of(0, 1, 2, 3),
                                BatchOptions.builder()
                                        .maxConcurrent(2)
                                        .isolation(isolation)
                                        .build());
                assertThat(batch.results(WAIT)).as(isolation.toString()).containsOnly(expected);
                assertThat(batch.jobs().get(0).orElseThrow().describe().capturedEnv())
                        .containsExactly("PROBE_SECRET_TOKEN");
            }
            assertThat(filesContaining(kinetic.home(), SECRET))
                    .as("files under KINETIC_HOME (store, workers' local state and logs)")
                    .isEmpty();
        }
    }

    /**
     * Far back in the local queue a job is normally only a kept launch file (issue 19); one with captured values waits
     * as an agent process instead, so no file holds them while it waits.
     */
    @Test
    void aJobWaitingFarBackInTheLocalQueueKeepsItsValuesInNoFile() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("KINETIC_LOCAL_SLOTS", "1");
        kinetic.environment().put("PROBE_SECRET_TOKEN", SECRET);
        try (KineticSession session = kinetic.session()) {
            List<JobHandle<Integer>> ahead = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ahead.add(session.remote(() -> {
                            Thread.sleep(3000);
                            return 1;
                        })
                        .runAsync());
            }
            JobHandle<String> waiting = session.remote(() -> seen("PROBE_SECRET_TOKEN"))
                    .captureEnv("PROBE_SECRET_*")
                    .runAsync();
            JobInfo queued = waiting.describe();
            assertThat(queued.status()).isEqualTo(JobStatus.PENDING);
            assertThat(queued.queuePosition())
                    .as("far back: behind the window of kept launches")
                    .isGreaterThan(2);
            assertThat(filesContaining(kinetic.home(), SECRET))
                    .as("files under KINETIC_HOME while the job waits")
                    .isEmpty();
            for (JobHandle<Integer> job : ahead) {
                assertThat(job.result(WAIT, Cleanup.NONE)).isEqualTo(1);
            }
            assertThat(waiting.result(WAIT, Cleanup.NONE))
                    .isEqualTo(Hashing.sha256(SECRET.getBytes(StandardCharsets.UTF_8)));
            assertThat(filesContaining(kinetic.home(), SECRET)).isEmpty();
        }
    }

    @Test
    void anAttemptThatDidNotGetTheValuesFailsSayingSoInsteadOfRunningWithoutThem() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().put("PROBE_SECRET_KEY", SECRET);
        try (KineticSession session = kinetic.session()) {
            DefaultJobHandle<String> job = (DefaultJobHandle<String>) session.remote(() -> seen("PROBE_SECRET_KEY"))
                    .captureEnv("PROBE_SECRET_KEY")
                    .runAsync();
            job.result(WAIT, Cleanup.NONE);
            Path jobDir = kinetic.storeDir().resolve("jobs").resolve(job.id());
            Files.delete(jobDir.resolve("result.json"));
            Files.delete(jobDir.resolve("result.bin"));
            try (Stream<Path> events = Files.list(jobDir.resolve("events"))) {
                for (Path e : events.toList()) {
                    if (!e.getFileName().toString().endsWith("-submitted")) {
                        Files.delete(e);
                    }
                }
            }
            // The same job run again by a fresh agent, as a retry or a resumed input would be: without the value.
            JobRecord r = job.record();
            AgentCommand command = AgentCommand.forRecord(r)
                    .withWorkDir(tmp.resolve("again-work"))
                    .withCacheDir(tmp.resolve("again-cache"));
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    AgentCommand.MAIN_CLASS));
            cmd.addAll(command.arguments());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("again.log").toFile());
            pb.environment().remove("PROBE_SECRET_KEY");
            Process agent = pb.start();
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> job.result(WAIT, Cleanup.NONE))
                    .isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("[PROBE_SECRET_KEY] did not reach this attempt")
                    .hasMessageContaining("submit the job again");
        }
    }

    /**
     * Every regular file under {@code root} whose bytes contain {@code needle}. Jobs may still be running: a file that
     * is gone by the time it is read (a part file renamed into place) is skipped; its final name is read instead.
     */
    static List<Path> filesContaining(Path root, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                byte[] bytes;
                try {
                    bytes = Files.isRegularFile(p) ? Files.readAllBytes(p) : new byte[0];
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                if (indexOf(bytes, n) >= 0) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
