package dev.kinetic.image;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries that cannot be used fail with the registry's name and what to do, before anything is built. */
class RegistryErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void anUnreachableRegistryIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String registry = "127.0.0.1:" + port;
        assertThatThrownBy(() -> builder(registry + "/kinetic/runtime")
                        .base(registry + "/base/jre:17")
                        .build()
                        .buildOrReuse())
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("cannot reach registry " + registry)
                .hasMessageContaining("running");
    }

    @Test
    void aRegistryThatRequiresCredentialsIsNamedWithTheWayToLogIn() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"), true)) {
            // The base is given by digest, so the first request is the check of the target tag.
            String base = registry.address() + "/base/jre@sha256:" + "0".repeat(64);
            assertThatThrownBy(() -> builder(registry.address() + "/kinetic/runtime")
                            .base(base)
                            .build()
                            .buildOrReuse())
                    .isInstanceOf(ImageException.class)
                    .hasMessageContaining("registry " + registry.address() + " requires credentials")
                    .hasMessageContaining("401")
                    .hasMessageContaining("docker login " + registry.address());
        }
    }

    @Test
    void aTaggedRegistryIsRefused() {
        assertThatThrownBy(() -> RuntimeImage.builder()
                        .registry("ghcr.io/acme/runtime:1")
                        .build())
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("'ghcr.io/acme/runtime:1' names a tag")
                .hasMessageContaining("REGISTRY/REPOSITORY");
    }

    @Test
    void aMalformedBaseIsRefused() {
        assertThatThrownBy(() -> RuntimeImage.builder()
                        .registry("ghcr.io/acme/runtime")
                        .base("Not A Ref")
                        .build())
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("invalid base image reference 'Not A Ref'")
                .hasMessageContaining("eclipse-temurin:");
    }

    private RuntimeImage.Builder builder(String repository) {
        return RuntimeImage.builder()
                .registry(repository)
                .allowInsecure(true)
                .cacheDirectory(tmp.resolve("cache"))
                .environment(Map.of("DOCKER_CONFIG", tmp.resolve("no-docker").toString()));
    }
}
