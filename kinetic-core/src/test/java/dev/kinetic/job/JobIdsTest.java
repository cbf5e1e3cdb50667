package dev.kinetic.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    private final JobIds ids = new JobIds(Clock.fixed(Instant.parse("2026-04-17T15:30:12Z"), ZoneOffset.UTC));

    @Test
    void followsTheDesignedShape() {
        assertThat(ids.next("v5e1", "train-model")).matches("v5e1-train-model-20260417-153012-[0-9a-f]{7}");
    }

    @Test
    void longFunctionNamesAreShortenedToAValidKubernetesName() {
        String id = ids.next("a100x8", "a-very-long-function-name-that-goes-on-and-on-and-on-forever");
        assertThat(id.length()).isLessThanOrEqualTo(63);
        assertThat(JobIds.validate(id)).isEqualTo(id);
        assertThat(id).doesNotContain("--");
    }

    @Test
    void oddCharactersAreSanitized() {
        assertThat(ids.next("cpu", "Train_Model$1")).startsWith("cpu-train-model-1-2026");
    }

    @Test
    void validateRefusesPathsAndUppercase() {
        assertThatThrownBy(() -> JobIds.validate("../x")).hasMessageContaining("not a job id");
        assertThatThrownBy(() -> JobIds.validate("CPU-x")).hasMessageContaining("not a job id");
    }

    @Test
    void functionNamesComeFromTheLambdaOrMethodReference() {
        dev.kinetic.RemoteCallable<Integer> ref = JobIdsTest::trainModel;
        assertThat(FunctionNames.of(ref).shortName()).isEqualTo("train-model");
        dev.kinetic.RemoteCallable<Integer> lambda = () -> 1;
        assertThat(FunctionNames.of(lambda).shortName()).isEqualTo("function-names-come-from-the-lambda-or-method-reference");
    }

    static Integer trainModel() {
        return 1;
    }
}
