package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.JobHandle.OutputFile;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's outputs stay reachable by its id after {@code result()} cleaned the job up (issue 19). */
class OutputsByIdTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

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
    void outputsAreListedAndDownloadedByIdAfterResultCleanedUpTheJob() throws Exception {
        JobHandle<Integer> job = session.remote(() -> {
                    Path out = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
                    Files.writeString(out.resolve("model.bin"), "weights");
                    Files.createDirectories(out.resolve("checkpoints"));
                    Files.writeString(out.resolve("checkpoints/epoch-3.ckpt"), "epoch 3");
                    return 7;
                })
                .runAsync();
        assertThat(job.result(WAIT)).isEqualTo(7);
        assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        assertThatThrownBy(() -> session.attach(job.id())).isInstanceOf(JobNotFoundException.class);

        assertThat(session.outputs(job.id()))
                .extracting(OutputFile::path, OutputFile::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("checkpoints/epoch-3.ckpt", 7L),
                        org.assertj.core.groups.Tuple.tuple("model.bin", 7L));
        Path dir = tmp.resolve("by-id");
        assertThat(session.downloadOutputs(job.id(), dir))
                .containsExactlyInAnyOrder(dir.resolve("model.bin"), dir.resolve("checkpoints/epoch-3.ckpt"));
        assertThat(dir.resolve("checkpoints/epoch-3.ckpt")).hasContent("epoch 3");

        // The handle's own methods, and a session of another process (nothing in memory), find them too.
        assertThat(job.outputs()).extracting(OutputFile::path).containsExactly("checkpoints/epoch-3.ckpt", "model.bin");
        assertThat(job.downloadOutputs(tmp.resolve("by-handle"))).hasSize(2);
        assertThat(tmp.resolve("by-handle/model.bin")).hasContent("weights");
        try (KineticSession other = kinetic.session()) {
            assertThat(other.outputs(job.id())).hasSize(2);
        }
    }

    @Test
    void aJobWithARecordButNoOutputsHasNoneAndAnUnknownIdIsNotFound() {
        JobHandle<Integer> job = session.remote(() -> 1).runAsync();
        assertThat(job.result(WAIT, Cleanup.NONE)).isEqualTo(1);
        assertThat(session.outputs(job.id())).isEmpty();
        assertThat(session.downloadOutputs(job.id(), tmp.resolve("none"))).isEmpty();

        job.cleanup(Cleanup.ALL);
        assertThatThrownBy(() -> session.outputs(job.id()))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining(job.id())
                .hasMessageContaining("outputs/" + job.id() + "/");
        assertThatThrownBy(() -> session.downloadOutputs("cpu-nothing-20200101-000000-0000000", tmp.resolve("x")))
                .isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> session.outputs("../etc"))
                .isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining("../etc");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void aCustomOutputDirIsFoundThroughTheRecordWhileItExists() {
        String shared = "outputs/run-7/";
        JobHandle<Integer> job = session.remote(() -> {
                    Files.writeString(
                            Path.of(System.getenv("KINETIC_OUTPUT_DIR")).resolve("ckpt"), "1");
                    return 1;
                })
                .outputDir(shared)
                .runAsync();
        assertThat(job.result(WAIT, Cleanup.NONE)).isEqualTo(1);
        assertThat(session.outputs(job.id())).extracting(OutputFile::path).containsExactly("ckpt");

        job.cleanup(Cleanup.ALL);
        // Without the record nothing says which shared prefix was this job's (documented).
        assertThatThrownBy(() -> session.outputs(job.id())).isInstanceOf(JobNotFoundException.class);
        assertThat(kinetic.storeDir().resolve("outputs/run-7/ckpt")).hasContent("1");
    }
}
