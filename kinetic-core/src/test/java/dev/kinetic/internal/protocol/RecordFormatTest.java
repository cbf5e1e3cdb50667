package dev.kinetic.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static JobRecord sample() {
        return JobRecord.builder()
                .id(JobId.of("cpu-x-20260101-000000-abcdef1"))
                .function("x", "com.example.X")
                .accelerator("cpu")
                .backend("local")
                .store("file:/tmp/s/")
                .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
                .submittedBy("me@host")
                .labels(Map.of("team", "a"))
                .envNames(List.of("TOKEN"))
                .payload(new JobRecord.Artifact("ab".repeat(32), 10, "payload.bin"))
                .classpath(List.of(new JobRecord.Artifact("cd".repeat(32), 20, "app.jar")))
                .jvmArgs(List.of("-Xmx1g"))
                .outputPrefix("outputs/x/")
                .backendRef(Map.of("host", "h"))
                .kineticVersion("0.1.0")
                .build();
    }

    @Test
    void recordsRoundTripAndIgnoreUnknownFields() {
        JobRecord r = sample();
        String json = new String(r.toJson(), StandardCharsets.UTF_8);
        String newer = json.replaceFirst("\\{", "{\"fieldFromTheFuture\": {\"nested\": [1, 2]},");
        assertThat(JobRecord.fromJson(newer.getBytes(StandardCharsets.UTF_8), "test"))
                .isEqualTo(r);
    }

    @Test
    void incompleteRecordsAreExplained() {
        assertThatThrownBy(
                        () -> JobRecord.fromJson("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "jobs/x/job.json"))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("jobs/x/job.json")
                .hasMessageContaining("incomplete");
        assertThatThrownBy(() -> JobRecord.fromJson("[1,".getBytes(StandardCharsets.UTF_8), "jobs/y/job.json"))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void outcomeAndEventsWrittenWithoutJacksonReadBackWithIt() throws Exception {
        JobOutcome o = JobOutcome.failed(FailurePhase.EXECUTE, "java.lang.X: \"quoted\"\nline\ttab\u0001")
                .exception(
                        "java.lang.X",
                        "m",
                        "trace\n\tat a.b(C.java:1)",
                        List.of(new JobOutcome.Frame("a.B", "c", null, -2)))
                .exitCode(86)
                .startedAt(Instant.parse("2026-01-01T00:00:00.123456789Z"))
                .endedAt(Instant.parse("2026-01-01T00:00:01Z"))
                .result("ef".repeat(32), 12)
                .build();
        assertThat(JobOutcome.fromJson(o.toJson(), "test")).isEqualTo(o);
        assertThat(new String(o.toJson(), StandardCharsets.UTF_8)).contains("\"phase\":\"execute\"");
        JobEvent e = new JobEvent(EventType.STARTED, Instant.parse("2026-01-01T00:00:00Z"), Map.of("pid", "12"));
        assertThat(Json.MAPPER.readValue(e.toJson(), Map.class)).containsEntry("type", "started");
    }

    @Test
    void eventKeysCarryTheirTypeAndUnknownTypesAreAClearError() {
        JobId id = JobId.of("cpu-x-20260101-000000-abcdef1");
        JobEvent end = new JobEvent(EventType.endedWith(JobStatus.CANCELLED), Instant.ofEpochMilli(42), Map.of());
        assertThat(end.key(id)).isEqualTo("jobs/cpu-x-20260101-000000-abcdef1/events/0000000000042-ended-cancelled");
        assertThat(JobEvent.typeOf(end.key(id))).isEqualTo(EventType.ENDED_CANCELLED);
        assertThat(JobEvent.typeOf(end.key(id)).endStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(JobEvent.typeOf("jobs/x/job.json")).isNull();
        assertThatThrownBy(() -> JobEvent.typeOf("jobs/x/events/0000000000042-host-exploded"))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("'host-exploded'")
                .hasMessageContaining("newer version");
    }

    @Test
    void anUnknownFailurePhaseInAnOutcomeIsAClearError() {
        String json = "{\"status\":\"FAILED\",\"phase\":\"teleport\",\"reason\":\"x\"}";
        assertThatThrownBy(() -> JobOutcome.fromJson(json.getBytes(StandardCharsets.UTF_8), "jobs/x/result.json"))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("jobs/x/result.json")
                .hasMessageContaining("teleport");
    }
}
