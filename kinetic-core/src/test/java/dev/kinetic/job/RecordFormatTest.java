package dev.kinetic.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static JobRecord sample() {
        return new JobRecord(JobRecord.SCHEMA, "cpu-x-20260101-000000-abcdef1", "x", "com.example.X", "cpu", "local",
                "file:/tmp/s/", Instant.parse("2026-01-01T00:00:00Z"), "me@host", Map.of("team", "a"), List.of("TOKEN"),
                new JobRecord.Artifact("ab".repeat(32), 10, "payload.bin"),
                List.of(new JobRecord.Artifact("cd".repeat(32), 20, "app.jar")), List.of("-Xmx1g"), "outputs/x/", 0,
                null, null, Map.of(), Map.of("host", "h"), "0.1.0");
    }

    @Test
    void recordsRoundTripAndIgnoreUnknownFields() {
        JobRecord r = sample();
        String json = new String(r.toJson(), StandardCharsets.UTF_8);
        String newer = json.replaceFirst("\\{", "{\"fieldFromTheFuture\": {\"nested\": [1, 2]},");
        assertThat(JobRecord.fromJson(newer.getBytes(StandardCharsets.UTF_8), "test")).isEqualTo(r);
    }

    @Test
    void incompleteRecordsAreExplained() {
        assertThatThrownBy(() -> JobRecord.fromJson("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "jobs/x/job.json"))
                .isInstanceOf(KineticException.class).hasMessageContaining("jobs/x/job.json").hasMessageContaining("incomplete");
        assertThatThrownBy(() -> JobRecord.fromJson("[1,".getBytes(StandardCharsets.UTF_8), "jobs/y/job.json"))
                .isInstanceOf(KineticException.class).hasMessageContaining("corrupt");
    }

    @Test
    void outcomeAndEventsWrittenWithoutJacksonReadBackWithIt() throws Exception {
        JobOutcome o = new JobOutcome(JobStatus.FAILED, "execute", "java.lang.X: \"quoted\"\nline\ttab\u0001",
                "java.lang.X", "m", "trace\n\tat a.b(C.java:1)", List.of(new JobOutcome.Frame("a.B", "c", null, -2)),
                86, Instant.parse("2026-01-01T00:00:00.123456789Z"), Instant.parse("2026-01-01T00:00:01Z"), "ef".repeat(32), 12);
        assertThat(JobOutcome.fromJson(o.toJson(), "test")).isEqualTo(o);
        JobEvent e = new JobEvent(JobEvent.STARTED, Instant.parse("2026-01-01T00:00:00Z"), Map.of("pid", "12"));
        assertThat(Json.MAPPER.readValue(e.toJson(), JobEvent.class)).isEqualTo(e);
    }
}
