package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.cli.fixtures.Sleeper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic jobs list|status} with the local backend's slots full: the queue position of PENDING jobs. */
class LocalQueueCommandsIT {
    @TempDir
    Path root;

    @Test
    void jobsListShowsWhereEachPendingLocalJobWaits() throws Exception {
        KineticCli cli = new KineticCli(root);
        cli.environment().put("KINETIC_LOCAL_SLOTS", "1");
        String running = cli.submitDetached(Sleeper.class.getName(), "--", "60");
        String first = cli.submitDetached(Sleeper.class.getName(), "--", "60");
        String second = cli.submitDetached(Sleeper.class.getName(), "--", "60");
        try {
            awaitPending(cli, second);
            JsonNode jobs = cli.run("jobs", "list", "-o", "json")
                    .assertExit(ExitCodes.OK)
                    .json();
            assertThat(position(jobs, first)).isEqualTo(1);
            assertThat(position(jobs, second)).isEqualTo(2);
            assertThat(jobs.get(0).has("queuePosition")).isTrue();
            assertThat(reason(jobs, second)).startsWith("waiting for a local slot: 1 of 1 in use (" + running + ")");

            List<String> table =
                    cli.run("jobs", "list").assertExit(ExitCodes.OK).outLines();
            assertThat(table.stream()
                            .filter(l -> l.startsWith(first))
                            .findFirst()
                            .orElseThrow())
                    .contains("PENDING #1");
            assertThat(table.stream()
                            .filter(l -> l.startsWith(second))
                            .findFirst()
                            .orElseThrow())
                    .contains("PENDING #2");
            assertThat(cli.run("jobs", "status", second)
                            .assertExit(ExitCodes.OK)
                            .out())
                    .contains("waiting for a local slot")
                    .containsPattern("queue position\\s+2");

            cli.run("jobs", "cancel", first).assertExit(ExitCodes.OK);
            JsonNode after = cli.run("jobs", "list", "-o", "json")
                    .assertExit(ExitCodes.OK)
                    .json();
            assertThat(position(after, second)).as("one ahead was cancelled").isEqualTo(1);
        } finally {
            for (String id : List.of(running, first, second)) {
                cli.run("jobs", "cancel", id);
            }
        }
    }

    private static void awaitPending(KineticCli cli, String id) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode jobs = cli.run("jobs", "list", "-o", "json").json();
            if (position(jobs, id) != null) {
                return;
            }
            assertThat(System.nanoTime()).as("%s waits in the queue", id).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static Integer position(JsonNode jobs, String id) {
        for (JsonNode j : jobs) {
            if (j.get("id").asText().equals(id)) {
                return j.get("queuePosition").isNull()
                        ? null
                        : j.get("queuePosition").asInt();
            }
        }
        return null;
    }

    private static String reason(JsonNode jobs, String id) {
        for (JsonNode j : jobs) {
            if (j.get("id").asText().equals(id)) {
                return j.get("reason").asText();
            }
        }
        return null;
    }
}
