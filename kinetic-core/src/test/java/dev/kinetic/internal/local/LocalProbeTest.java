package dev.kinetic.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local backend says about an agent that exited without writing an outcome. */
class LocalProbeTest {
    @TempDir
    Path home;

    @Test
    void anAgentThatGaveUpOnTheStoreIsQuotedAndOneThatDiedSilentlyIsNot() throws Exception {
        LocalBackend backend = new LocalBackend(home, ProcessLauncher.SYSTEM);
        JobRecord draft = record(JobId.of("cpu-probe-20261128-000000-0000001"), Map.of());
        JobRecord record = record(draft.id(), backend.prepare(draft));
        Path state = Path.of(record.backendRef().get(LocalBackend.STATE_DIR));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(state.resolve("pid"), dead.pid() + " 0");

        LiveState silent = backend.probe(record);
        assertThat(silent.phase()).isEqualTo(LiveState.Phase.EXITED);
        assertThat(silent.reason())
                .as("nothing in its log: status says killed or crashed")
                .isNull();

        Files.writeString(state.resolve("agent.log"), """
                kinetic agent: output sync failed (will retry): timeout
                kinetic agent: could not write the outcome to s3://b/p (attempt 9, giving up): Unable to connect
                """);
        LiveState gaveUp = backend.probe(record);
        assertThat(gaveUp.phase()).isEqualTo(LiveState.Phase.EXITED);
        assertThat(gaveUp.reason())
                .isEqualTo("agent exited without a result: could not write the outcome to "
                        + "s3://b/p (attempt 9, giving up): Unable to connect");
    }

    private static JobRecord record(JobId id, Map<String, String> ref) {
        return JobRecord.builder()
                .id(id)
                .function("probe", "dev.kinetic.Probe")
                .backend("local")
                .store("file:/store")
                .createdAt(Instant.now())
                .submittedBy("me@here")
                .payload(new JobRecord.Artifact("0".repeat(64), 1, "payload.bin"))
                .outputPrefix(JobLayout.outputs(id))
                .backendRef(ref)
                .kineticVersion("0.1.0")
                .build();
    }
}
