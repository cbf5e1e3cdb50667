package dev.kinetic.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {
    @TempDir
    Path tmp;

    @Test
    void writesOneLineWhereTheBackendSays() throws Exception {
        Path file = tmp.resolve("termination-log");
        TerminationMessage.write(
                Map.of(TerminationMessage.PATH_ENV, file.toString()),
                "cannot write gs://b/jobs/x/result.json: 403 Forbidden\n  at somewhere");
        assertThat(Files.readString(file))
                .isEqualTo("cannot write gs://b/jobs/x/result.json: 403 Forbidden   at somewhere");
    }

    @Test
    void staysWithinTheKubeletsLimit() throws Exception {
        Path file = tmp.resolve("termination-log");
        TerminationMessage.write(Map.of(TerminationMessage.PATH_ENV, file.toString()), "é".repeat(5000));
        byte[] written = Files.readAllBytes(file);
        assertThat(written.length).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
        assertThat(new String(written, StandardCharsets.UTF_8)).endsWith("...");
    }

    @Test
    void writesNothingWithoutTheVariable() throws Exception {
        TerminationMessage.write(Map.of(), "succeeded"); // locally: no /dev/termination-log, nothing to write
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
    }
}
