package dev.kinetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.testing.SubmitAndWait;
import dev.kinetic.testing.TestKinetic;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job survives its submitter: a separate JVM submits, prints the id, and is then killed with SIGKILL, or
 * interrupted with Ctrl-C (SIGINT to its whole process group). This JVM then attaches by id and collects.
 */
@org.junit.jupiter.api.Tag("faults")
class SubmitterDeathTest {
    @TempDir
    Path tmp;

    @Test
    void jobSurvivesSigkillOfTheSubmitter() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        Process submitter = startSubmitter(kinetic, false);
        String id = readJobId(submitter);
        submitter.destroyForcibly();
        assertThat(submitter.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertCollected(kinetic, id);
    }

    @Test
    void jobSurvivesCtrlCToTheSubmittersProcessGroup() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        Process submitter = startSubmitter(kinetic, true);
        String id = readJobId(submitter);
        // setsid made the submitter a process-group leader: its pid is the group id, as a shell's job would be.
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + submitter.pid())
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
        assertThat(submitter.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(submitter.exitValue()).isEqualTo(130);
        assertCollected(kinetic, id);
    }

    private static void assertCollected(TestKinetic kinetic, String id) {
        try (KineticSession other = kinetic.session()) {
            JobHandle<Integer> job = other.attach(id, Integer.class);
            assertThat(job.functionName()).isEqualTo("survivor");
            assertThat(job.status()).isIn(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.SUCCEEDED);
            assertThat(job.result(Duration.ofSeconds(60))).isEqualTo(7);
            assertThat(other.listJobs()).isEmpty();
        }
    }

    private static Process startSubmitter(TestKinetic kinetic, boolean ownGroup) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>();
        if (ownGroup) {
            cmd.add("setsid");
        }
        cmd.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), SubmitAndWait.class.getName(), "2500"));
        ProcessBuilder b =
                new ProcessBuilder(cmd).redirectError(new File(kinetic.home().toFile(), "submitter.err"));
        b.environment().putAll(kinetic.environment());
        return b.start();
    }

    private static String readJobId(Process submitter) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(submitter.getInputStream()));
        String line = out.readLine();
        assertThat(line).as("submitter output").startsWith("JOB ");
        return line.substring(4);
    }
}
