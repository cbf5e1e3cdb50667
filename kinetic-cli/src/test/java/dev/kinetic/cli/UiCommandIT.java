package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinetic ui} as users start it: the real jar in its own process. It prints its URL, serves the CLI's own
 * {@code -o json} views under {@code /api/...}, needs its printed token beyond loopback, and stops on SIGTERM.
 */
class UiCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path tmp;

    @Test
    void servesTheCliViewsBeyondLoopbackWithTheTokenItPrintedAndStopsOnSigterm() throws Exception {
        KineticCli kinetic = new KineticCli(tmp);
        String id = kinetic.submitDetached("dev.kinetic.cli.fixtures.PrintLines", "--", "3");
        kinetic.awaitEnd(id);

        Path out = tmp.resolve("ui.out");
        Path err = tmp.resolve("ui.err");
        Process ui = kinetic.start(out, err, "ui", "--port", "0", "--bind", "0.0.0.0");
        try {
            URI printed = URI.create(firstLine(out, ui, err));
            assertThat(printed.getScheme()).isEqualTo("http");
            assertThat(printed.getQuery()).startsWith("token=");
            String token = printed.getQuery().substring("token=".length());
            assertThat(Files.readString(err)).contains("generated", token);
            String base = "http://127.0.0.1:" + printed.getPort();

            assertThat(get(base + "/api/jobs", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/", null).statusCode()).isEqualTo(401);
            HttpResponse<String> jobs = get(base + "/api/jobs", token);
            assertThat(jobs.statusCode()).isEqualTo(200);
            JsonNode listed = JSON.readTree(jobs.body());
            JsonNode cliList =
                    JSON.readTree(kinetic.run("jobs", "list", "-o", "json").out());
            assertThat(listed).isEqualTo(cliList);

            JsonNode status = JSON.readTree(get(base + "/api/jobs/" + id, token).body());
            assertThat(status)
                    .isEqualTo(JSON.readTree(
                            kinetic.run("jobs", "status", id, "-o", "json").out()));
            assertThat(JSON.readTree(
                            get(base + "/api/jobs/" + id + "/logs", token).body()))
                    .isEqualTo(JSON.readTree(
                            kinetic.run("jobs", "logs", id, "-o", "json").out()));
            assertThat(JSON.readTree(
                            get(base + "/api/jobs/" + id + "/outputs", token).body()))
                    .isEqualTo(JSON.readTree(
                            kinetic.run("jobs", "outputs", id, "-o", "json").out()));
        } finally {
            ui.destroy(); // SIGTERM, as Ctrl-C or a service manager would
            assertThat(ui.waitFor(30, TimeUnit.SECONDS))
                    .as("kinetic ui stops on SIGTERM")
                    .isTrue();
        }
    }

    @Test
    void badAddressPortOrTokenIsAUsageErrorThatSaysWhy() throws Exception {
        KineticCli kinetic = new KineticCli(tmp);
        assertThat(kinetic.run("ui", "--bind", "no-such-host.invalid", "--port", "0")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--bind no-such-host.invalid", "127.0.0.1");
        assertThat(kinetic.run("ui", "--port", "70000")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--port", "70000");
        assertThat(kinetic.run("ui", "--port", "0", "--token", "short")
                        .assertExit(ExitCodes.USAGE)
                        .err())
                .contains("--token must be 16 to 256", "openssl rand -hex 16");
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The first line the process printed on stdout, waiting up to a minute for it. */
    private static String firstLine(Path out, Process process, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            int newline = text.indexOf('\n');
            if (newline > 0) {
                return text.substring(0, newline).trim();
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "kinetic ui exited with " + process.exitValue() + ": " + Files.readString(err));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("kinetic ui printed no URL in 60 s; stderr: " + Files.readString(err));
    }
}
