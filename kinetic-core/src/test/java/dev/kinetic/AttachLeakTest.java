package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.testing.Jobs;
import dev.kinetic.testing.LeakCheck;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attaching to a job over and over through {@link Kinetic} opens no client per call: threads and fds stay flat. */
class AttachLeakTest {
    @TempDir
    Path tmp;

    @Test
    void fiveHundredAttachesToARunningLocalJobKeepThreadsAndFileDescriptorsFlat() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        try (KineticSession session = kinetic.session()) {
            JobHandle<Integer> job =
                    session.remote(() -> Jobs.sleepThen(60_000, 1)).runAsync();
            try {
                LeakCheck.Growth g =
                        LeakCheck.attachRepeatedly(job.id(), 500, kinetic.environment(), tmp.resolve("attach.log"));
                assertThat(g.status()).isIn("PENDING", "RUNNING");
            } finally {
                job.cancel();
            }
        }
    }
}
