package dev.kinetic.internal.local;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a local agent JVM runs with. */
final class AgentClasspath {
    private AgentClasspath() {}

    /**
     * The agent's classpath. For a directory store only Kinetic's own jars (a short classpath starts faster:
     * service lookup opens every jar); for other stores this JVM's whole classpath, which holds the store module
     * and its SDK.
     */
    static String of(String storeUri) {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
        if (storeUri.startsWith("file:")) {
            boolean all = true;
            for (Class<?> c : List.of(
                    LocalBackend.class,
                    com.fasterxml.jackson.databind.ObjectMapper.class,
                    com.fasterxml.jackson.core.JsonParser.class,
                    com.fasterxml.jackson.annotation.JsonInclude.class,
                    com.fasterxml.jackson.datatype.jsr310.JavaTimeModule.class)) {
                Optional<String> where = location(c);
                all &= where.isPresent();
                where.ifPresent(entries::add);
            }
            if (all) {
                return String.join(File.pathSeparator, entries);
            }
            entries.clear(); // classes from an unusual loader: fall back to everything
        }
        for (Path p : dev.kinetic.spi.ClasspathSnapshot.currentClasspath()) {
            entries.add(p.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Optional<String> location(Class<?> c) {
        try {
            var source = c.getProtectionDomain().getCodeSource();
            return source == null
                    ? Optional.empty()
                    : Optional.of(Path.of(source.getLocation().toURI()).toString());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
