package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.KineticSession.SubmitStep;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.testing.SubmitAndDieAt;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The submitting JVM SIGKILLed after each step of a submission: afterwards there is either a complete,
 * attachable job, or nothing that lists as running, and every leftover is listed and removable.
 */
@Tag("faults")
class SubmitterCrashTest {
    @TempDir
    Path tmp;

    @Test
    void killedAfterPackagingLeavesNoJob() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        String id = submitAndDieAt(kinetic, SubmitStep.PACKAGED);
        try (KineticSession s = kinetic.session()) {
            assertThat(s.listJobs()).isEmpty();
            assertThat(kinetic.storeDir().resolve(JobLayout.jobPrefix(JobId.of(id))))
                    .doesNotExist();
        }
    }

    @Test
    void killedAfterTheRecordLeavesAFailedNeverStartedJobThatCleanupRemoves() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        String id = submitAndDieAt(kinetic, SubmitStep.RECORDED);
        try (KineticSession s = kinetic.session()) {
            // PENDING ("starting the agent process") while a launch could still be under way, then FAILED.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            List<JobInfo> jobs = s.listJobs();
            while (jobs.get(0).status() == JobStatus.PENDING && System.nanoTime() < deadline) {
                Thread.sleep(500);
                jobs = s.listJobs();
            }
            assertThat(jobs).extracting(JobInfo::id).containsExactly(id);
            assertThat(jobs.get(0).status()).isEqualTo(JobStatus.FAILED);
            JobHandle<Object> job = s.attach(id);
            assertThat(job.describe().reason()).contains("never started").contains("kinetic jobs cleanup " + id);
            job.cleanup(Cleanup.ALL);
            assertThat(s.listJobs()).isEmpty();
        }
    }

    @Test
    void killedAfterTheBackendStartedItLeavesACompleteJob() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        String id = submitAndDieAt(kinetic, SubmitStep.STARTED);
        try (KineticSession s = kinetic.session()) {
            JobHandle<Integer> job = s.attach(id, Integer.class);
            assertThat(job.result(Duration.ofSeconds(60))).isEqualTo(3);
        }
    }

    private static String submitAndDieAt(TestKinetic kinetic, SubmitStep step) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), SubmitAndDieAt.class.getName(), step.name())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(kinetic.environment());
        Process p = b.start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(line).startsWith("JOB ");
        return line.substring(4);
    }
}
