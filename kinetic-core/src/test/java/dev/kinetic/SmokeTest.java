package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir Path tmp;

    @Test
    void runsAJob() throws Exception {
        TestKinetic k = new TestKinetic(tmp);
        try (KineticSession s = k.session()) {
            int base = 40;
            long t0 = System.nanoTime();
            JobHandle<Integer> job = s.remote(() -> { System.out.println("hello from job"); return base + 2; }).runAsync();
            long t1 = System.nanoTime();
            Integer v = job.result(Duration.ofSeconds(60), Cleanup.NONE);
            long t2 = System.nanoTime();
            System.out.println("submit ms " + (t1 - t0) / 1e6 + " result ms " + (t2 - t1) / 1e6 + " id " + job.id());
            assertThat(v).isEqualTo(42);
            assertThat(job.logs()).contains("hello from job");
        }
    }
}
