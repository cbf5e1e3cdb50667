package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.internal.observe.DefaultJobHandle;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing read back from the store is used before its hash is checked. A finished job's artifacts are damaged,
 * its outcome removed, and the real agent is run again on it (as the backend would start it).
 */
@org.junit.jupiter.api.Tag("faults")
class ArtifactCorruptionTest {
    @TempDir
    Path tmp;

    TestKinetic kinetic;
    KineticSession session;

    @BeforeEach
    void setUp() throws Exception {
        kinetic = new TestKinetic(tmp);
        session = kinetic.session();
    }

    @Test
    void corruptPayloadIsRefusedBeforeDeserialization() throws Exception {
        DefaultJobHandle<Integer> job = finishedJob();
        Path payload = kinetic.storeDir().resolve(JobLayout.payload(JobId.of(job.id())));
        byte[] bytes = Files.readAllBytes(payload);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(payload, bytes);

        rerunAgent(job, tmp.resolve("fresh-cache"));

        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason())
                .contains("payload")
                .contains(JobLayout.payload(JobId.of(job.id())))
                .contains(job.record().payload().sha256())
                .contains("nothing was deserialized");
        assertThatThrownBy(() -> job.result(Duration.ofSeconds(5)))
                .isInstanceOf(JobFailedException.class)
                .satisfies(e -> assertThat(((JobFailedException) e).phase()).isEqualTo("verify"));
        assertThat(payload).exists();
    }

    @Test
    void corruptClasspathEntryIsRefused() throws Exception {
        DefaultJobHandle<Integer> job = finishedJob();
        JobRecord.Artifact entry = job.record().classpath().get(0);
        Path cas = kinetic.storeDir().resolve(JobLayout.cas(entry.sha256()));
        Files.write(cas, "not the jar you are looking for".getBytes());

        rerunAgent(job, tmp.resolve("fresh-cache"));

        JobInfo info = job.describe();
        assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        assertThat(info.reason())
                .contains("classpath entry")
                .contains(entry.sha256())
                .contains("corrupt");
    }

    @Test
    void corruptResultIsRefusedBeforeDeserialization() throws Exception {
        DefaultJobHandle<Integer> job = finishedJob();
        Path result = kinetic.storeDir().resolve(JobLayout.resultData(JobId.of(job.id())));
        byte[] bytes = Files.readAllBytes(result);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(result, bytes);

        assertThatThrownBy(() -> job.result(Duration.ofSeconds(5)))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining(JobLayout.resultData(JobId.of(job.id())))
                .hasMessageContaining("expected sha256")
                .hasMessageContaining("not deserialized");
        assertThat(result).exists();
    }

    @Test
    void aDisruptedAttemptWithRetriesLeftLeavesTheOutcomeToTheNextAttempt() throws Exception {
        DefaultJobHandle<Integer> job = finishedJob();
        Path jobDir = kinetic.storeDir().resolve(JobLayout.jobPrefix(JobId.of(job.id())));
        Files.delete(jobDir.resolve("result.json"));
        Files.delete(jobDir.resolve("result.bin"));
        JobRecord r = job.record();
        // The same job run by a fresh agent that is told the backend retries disruptions once. Its task JVM is
        // held at start-up (PauseAtStartup while the pause file exists), so the SIGTERM lands while it runs.
        AgentCommand command = AgentCommand.of(
                r.store(),
                r.id(),
                r.payload().sha256(),
                r.classpath().stream().map(JobRecord.Artifact::sha256).toList(),
                List.of(
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:+PauseAtStartup",
                        "-XX:PauseAtStartupFile=" + tmp.resolve("pause")),
                1);
        Files.createFile(tmp.resolve("pause"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AgentCommand.MAIN_CLASS));
        cmd.addAll(command.arguments());
        cmd.addAll(List.of(
                "--work",
                tmp.resolve("retry-work").toString(),
                "--cache",
                tmp.resolve("retry-cache").toString()));
        Process agent = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("retry.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        agent.destroy(); // SIGTERM, as the kubelet sends on preemption
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(143);
        assertThat(jobDir.resolve("result.json")).doesNotExist();
        try (Stream<Path> events = Files.list(jobDir.resolve("events"))) {
            assertThat(events.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-attempt-terminated"));
        }
    }

    private DefaultJobHandle<Integer> finishedJob() {
        int value = 11;
        DefaultJobHandle<Integer> job =
                (DefaultJobHandle<Integer>) session.remote(() -> value).runAsync();
        assertThat(job.result(Duration.ofSeconds(60), Cleanup.NONE)).isEqualTo(11);
        return job;
    }

    /** Forgets the outcome and runs the agent again with the recorded hashes, as the backend started it. */
    private void rerunAgent(DefaultJobHandle<Integer> job, Path cache) throws Exception {
        Path jobDir = kinetic.storeDir().resolve(JobLayout.jobPrefix(JobId.of(job.id())));
        Files.delete(jobDir.resolve("result.json"));
        Files.delete(jobDir.resolve("result.bin"));
        try (Stream<Path> events = Files.list(jobDir.resolve("events"))) {
            for (Path e : events.toList()) {
                if (e.getFileName().toString().contains("ended")
                        || e.getFileName().toString().contains("started")) {
                    Files.delete(e);
                }
            }
        }
        JobRecord r = job.record();
        AgentCommand command = AgentCommand.of(
                r.store(),
                r.id(),
                r.payload().sha256(),
                r.classpath().stream().map(JobRecord.Artifact::sha256).toList(),
                r.jvmArgs(),
                0);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AgentCommand.MAIN_CLASS));
        cmd.addAll(command.arguments());
        cmd.addAll(List.of("--work", tmp.resolve("rerun-work").toString(), "--cache", cache.toString()));
        Process agent = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("rerun.log").toFile())
                .start();
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue())
                .as(Files.readString(tmp.resolve("rerun.log")))
                .isEqualTo(1);
    }
}
