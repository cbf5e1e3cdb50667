package dev.kinetic.backend.kubernetes;

import dev.kinetic.image.AgentJars;
import dev.kinetic.image.RuntimeImage;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.store.s3.S3BlobStoreProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds the runtime image for an {@code s3://} store the way a user would: kinetic-image with the core's agent
 * jars plus kinetic-s3 and the AWS SDK's jars, taken from this test's classpath (the same versions the session
 * uses).
 */
final class RuntimeImageFixture {
    /** The S3 store's runtime dependencies, by their path in the Maven repository (see kinetic-s3's pom). */
    private static final List<String> S3_DEPENDENCIES = List.of(
            "/software/amazon/awssdk/",
            "/org/apache/httpcomponents/client5/",
            "/org/apache/httpcomponents/core5/",
            "/org/reactivestreams/");

    private RuntimeImageFixture() {}

    /** Builds (or reuses) {@code REGISTRY/kinetic/runtime} on {@code base} and returns its pinned reference. */
    static String build(String registry, String base, Path work) throws IOException, URISyntaxException {
        List<Path> extra = new ArrayList<>();
        extra.add(asJar(
                Path.of(S3BlobStoreProvider.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()),
                work.resolve("kinetic-s3.jar")));
        ClasspathSnapshot.currentClasspath().stream()
                .filter(p -> p.toString().endsWith(".jar")
                        && S3_DEPENDENCIES.stream().anyMatch(d -> p.toString().contains(d)))
                .forEach(extra::add);
        if (extra.size() < 10) {
            throw new IllegalStateException("the AWS SDK's jars were not found on the test classpath: " + extra);
        }
        return RuntimeImage.builder()
                .registry(registry + "/kinetic/runtime")
                .base(base)
                .agentJars(AgentJars.discover(extra))
                .allowInsecure(true)
                .cacheDirectory(work.resolve("image-cache"))
                .environment(
                        Map.of("DOCKER_CONFIG", work.resolve("no-docker-config").toString()))
                .build()
                .buildOrReuse()
                .pinned();
    }

    /** The module's jar, or its class directory (a reactor build before packaging) packed as one. */
    private static Path asJar(Path module, Path jar) throws IOException {
        if (!Files.isDirectory(module)) {
            return module;
        }
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(module)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(module.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }
}
