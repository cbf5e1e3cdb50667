package dev.kinetic.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobIdTest {
    private static final Instant NOW = Instant.parse("2026-04-17T15:30:12Z");

    @Test
    void followsTheDesignedShape() {
        assertThat(JobId.next("v5e1", "train-model", NOW).value())
                .matches("v5e1-train-model-20260417-153012-[0-9a-f]{7}");
    }

    @Test
    void longFunctionNamesAreShortenedToAValidKubernetesName() {
        JobId id = JobId.next("a100x8", "a-very-long-function-name-that-goes-on-and-on-and-on-forever", NOW);
        assertThat(id.value().length()).isLessThanOrEqualTo(63);
        assertThat(JobId.of(id.value())).isEqualTo(id);
        assertThat(id.value()).doesNotContain("--");
    }

    @Test
    void oddCharactersAreSanitized() {
        assertThat(JobId.next("cpu", "Train_Model$1", NOW).value()).startsWith("cpu-train-model-1-2026");
    }

    @Test
    void parsingRefusesPathsUppercaseAndOverlongIds() {
        assertThatThrownBy(() -> JobId.of("../x")).hasMessageContaining("'../x' is not a job id");
        assertThatThrownBy(() -> JobId.of("CPU-x")).hasMessageContaining("not a job id");
        assertThatThrownBy(() -> JobId.of("a".repeat(64))).hasMessageContaining("not a job id");
        assertThatThrownBy(() -> JobId.of(null)).hasMessageContaining("not a job id");
    }

    @Test
    void storeKeysAreSpelledFromTheIdOnly() {
        JobId id = JobId.of("cpu-x-20260101-000000-abcdef1");
        assertThat(JobLayout.record(id)).isEqualTo("jobs/cpu-x-20260101-000000-abcdef1/job.json");
        assertThat(JobLayout.jobIdOf(JobLayout.payload(id))).isEqualTo(id);
        assertThat(JobLayout.jobIdOf("jobs/NOT_AN_ID/job.json")).isNull();
        assertThat(BlobStore.class).isInterface(); // the layout is the store contract's, not a store's
    }

    @Test
    void idsRoundTripThroughJsonAsPlainStrings() throws Exception {
        JobId id = JobId.of("cpu-x-20260101-000000-abcdef1");
        String json = Json.MAPPER.writeValueAsString(id);
        assertThat(json).isEqualTo("\"cpu-x-20260101-000000-abcdef1\"");
        assertThat(Json.MAPPER.readValue(json, JobId.class)).isEqualTo(id);
    }
}
