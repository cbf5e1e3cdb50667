package dev.kinetic.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch worker's command line: rendered by the core and backends, parsed by the worker. */
class WorkerCommandTest {
    @Test
    void aWorkerCommandRendersItsBatchAndWorkerAndParsesBack() {
        AgentCommand command = AgentCommand.forWorkers(
                        "file:/tmp/store", "grp-1a2b3c4d", List.of("aa", "bb"), List.of("-Xmx1g"))
                .withWorkerId("grp-1a2b3c4d-workers-0-w1")
                .withWorkDir(Path.of("/tmp/w"));
        assertThat(command.isWorker()).isTrue();
        assertThat(command.mainClass()).isEqualTo(AgentCommand.WORKER_MAIN_CLASS);
        assertThat(command.arguments())
                .containsSubsequence("--store", "file:/tmp/store", "--batch", "grp-1a2b3c4d")
                .containsSubsequence("--worker-id", "grp-1a2b3c4d-workers-0-w1")
                .doesNotContain("--job", "--payload");

        AgentCommand parsed = AgentCommand.parse(command.arguments().toArray(new String[0]));
        assertThat(parsed.isWorker()).isTrue();
        assertThat(parsed.batchId()).isEqualTo("grp-1a2b3c4d");
        assertThat(parsed.workerId()).isEqualTo("grp-1a2b3c4d-workers-0-w1");
        assertThat(parsed.classpathSha256()).containsExactly("aa", "bb");
        assertThat(parsed.jvmArgs()).containsExactly("-Xmx1g");
        assertThat(parsed.workDir()).isEqualTo(Path.of("/tmp/w"));
        assertThat(parsed.arguments()).isEqualTo(command.arguments());
    }

    @Test
    void aJobsCommandStaysTheAgentsAndHasNoWorkerId() {
        AgentCommand job = AgentCommand.of(
                "file:/tmp/store", JobId.of("cpu-fn-20260101-000000-abcdef1"), "cc", List.of(), List.of(), 0);
        assertThat(job.isWorker()).isFalse();
        assertThat(job.mainClass()).isEqualTo(AgentCommand.MAIN_CLASS);
        assertThatThrownBy(() -> job.withWorkerId("w")).hasMessageContaining("not a batch worker");
        assertThatThrownBy(() -> AgentCommand.parse(new String[] {"--store", "file:/tmp/s"}))
                .hasMessageContaining("--batch ID");
    }
}
