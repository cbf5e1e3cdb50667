package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * What one {@code kinetic} process did: its exit code, stdout and stderr.
 *
 * @param args the command line, for failure messages
 */
record CliResult(List<String> args, int exit, String out, String err) {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    CliResult assertExit(int expected) {
        assertThat(exit)
                .as("exit code of kinetic %s%nstdout:%n%s%nstderr:%n%s", String.join(" ", args), out, err)
                .isEqualTo(expected);
        return this;
    }

    /** Stdout parsed as one JSON document (fails if it is anything else). */
    JsonNode json() {
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError(
                    "stdout of kinetic " + String.join(" ", args) + " is not one JSON document: " + e + "\n" + out, e);
        }
    }

    List<String> outLines() {
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
}
