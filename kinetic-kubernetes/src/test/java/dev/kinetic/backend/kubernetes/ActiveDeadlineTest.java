package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's time limit as the Job's activeDeadlineSeconds, and how a Job that ran past it reads (issue 19). */
class ActiveDeadlineTest {
    private static final long ALLOWANCE = ActiveDeadline.STARTUP_ALLOWANCE.toSeconds();

    private static JobRecord record(Duration timeout, int retries) {
        return JobRecord.builder()
                .id(JobId.of("cpu-f-20261201-120000-abcdef0"))
                .payload(new JobRecord.Artifact("ab", 1, "payload.bin"))
                .backend("kubernetes")
                .store("s3://bucket/k")
                .retries(retries)
                .timeout(timeout)
                .build();
    }

    private static KubernetesSettings settings(Map<String, String> values) {
        return KubernetesSettings.from(values, Map.of());
    }

    @Test
    void theDeadlineIsTheLimitPlusTimeToStartForEveryAttempt() {
        assertThat(ActiveDeadline.seconds(settings(Map.of()), record(null, 0))).isNull();
        assertThat(ActiveDeadline.seconds(settings(Map.of()), record(Duration.ofSeconds(3), 0)))
                .isEqualTo(3 + ALLOWANCE);
        assertThat(ActiveDeadline.seconds(settings(Map.of()), record(Duration.ofMillis(2500), 0)))
                .as("rounded up to whole seconds")
                .isEqualTo(3 + ALLOWANCE);
        assertThat(ActiveDeadline.seconds(settings(Map.of()), record(Duration.ofHours(2), 2)))
                .isEqualTo(3 * (7200 + ALLOWANCE));
        assertThat(ActiveDeadline.seconds(settings(Map.of("active-deadline", "100")), record(null, 0)))
                .isEqualTo(100L);
        assertThat(ActiveDeadline.seconds(settings(Map.of("active-deadline", "100")), record(Duration.ofHours(1), 0)))
                .as("an explicit, shorter active-deadline still applies")
                .isEqualTo(100L);
    }

    @Test
    void aJobThatExceededItsDeadlineReadsTimedOutWhenItHadALimit() {
        Job job = new JobBuilder()
                .withNewMetadata()
                .withName("cpu-f-20261201-120000-abcdef0")
                .withAnnotations(Map.of("kinetic.dev/timeout", "PT3S"))
                .endMetadata()
                .withNewSpec()
                .withActiveDeadlineSeconds(3 + ALLOWANCE)
                .withBackoffLimit(0)
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Failed")
                .withStatus("True")
                .withReason("DeadlineExceeded")
                .withMessage("Job was active longer than specified deadline")
                .endCondition()
                .endStatus()
                .build();
        LiveState state = JobStateMapper.map(job, List.of());
        assertThat(state.phase()).isEqualTo(LiveState.Phase.EXITED);
        assertThat(state.reason())
                .startsWith("timed out after PT3S (DeadlineExceeded")
                .contains((3 + ALLOWANCE) + " s");

        job.getMetadata().setAnnotations(Map.of());
        assertThat(JobStateMapper.map(job, List.of()).reason())
                .startsWith("DeadlineExceeded: the Job ran longer than its active deadline");
    }
}
