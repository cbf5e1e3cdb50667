package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.image.LocalRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic build-image} against a real registry on 127.0.0.1: push once, then reuse. */
class BuildImageIT {
    @TempDir
    Path root;

    @Test
    void buildsPushesAndThenReusesTheRuntimeImage() throws Exception {
        LocalRegistry.assumeInstalled();
        KineticCli cli = new KineticCli(root);
        try (LocalRegistry registry = LocalRegistry.start(root.resolve("registry"), false)) {
            String base = registry.pushBase("base/jre", root.resolve("base"), "a JRE would be here");
            String repo = registry.address() + "/kinetic/runtime";

            JsonNode first = cli.run("build-image", "--registry", repo, "--base", base, "--insecure", "-o", "json")
                    .assertExit(ExitCodes.OK)
                    .json();
            assertThat(first.path("reference").asText()).startsWith(repo + ":");
            assertThat(first.path("digest").asText()).startsWith("sha256:");
            assertThat(first.path("reused").asBoolean()).isFalse();

            JsonNode second = cli.run("build-image", "--registry", repo, "--base", base, "--insecure", "-o", "json")
                    .assertExit(ExitCodes.OK)
                    .json();
            assertThat(second.path("reference").asText())
                    .isEqualTo(first.path("reference").asText());
            assertThat(second.path("reused").asBoolean()).isTrue();

            CliResult table = cli.run("build-image", "--registry", repo, "--base", base, "--insecure")
                    .assertExit(ExitCodes.OK);
            assertThat(table.out().trim())
                    .isEqualTo(first.path("reference").asText() + "@"
                            + first.path("digest").asText());
        }
    }

    @Test
    void bundleWithoutAClasspathIsAUsageError() throws Exception {
        KineticCli cli = new KineticCli(root);
        CliResult r = cli.run("build-image", "--registry", "127.0.0.1:1/x", "--bundle")
                .assertExit(ExitCodes.USAGE);
        assertThat(r.err()).contains("--bundle needs the classpath");
    }
}
