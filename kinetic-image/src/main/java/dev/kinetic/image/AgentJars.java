package dev.kinetic.image;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the jars the agent needs in the image: {@code kinetic-core} and its runtime dependencies (Jackson,
 * SLF4J API), located by the code source of one class of each, so it works from Maven's repository, an
 * application's {@code lib/} directory or a shaded jar (which then holds them all and is the only entry).
 *
 * <p>A store module ({@code kinetic-s3}, {@code kinetic-gcs}) cannot be found this way with its whole SDK (dozens
 * of jars that no single class points at), so add those jars explicitly:
 * <pre>{@code
 * List<Path> jars = AgentJars.discover(List.of(Path.of("lib/kinetic-s3.jar"), ...sdk jars...));
 * }</pre>
 */
public final class AgentJars {
    /** One class from each jar the agent loads: the core, Jackson's three jars and its java.time module, SLF4J. */
    private static final List<String> MARKER_CLASSES = List.of(
            "dev.kinetic.internal.agent.Agent",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "com.fasterxml.jackson.datatype.jsr310.JavaTimeModule",
            "org.slf4j.LoggerFactory");

    private AgentJars() {}

    /** The core's jars, as found from this JVM's classes. */
    public static List<Path> discover() {
        return discover(List.of());
    }

    /**
     * The core's jars followed by {@code extra} (store modules and their SDKs), without duplicates.
     *
     * @throws ImageException if a needed class is not loadable or was not loaded from a jar (a class directory
     *     in a development build): pass the jars explicitly then
     */
    public static List<Path> discover(List<Path> extra) {
        Set<Path> jars = new LinkedHashSet<>();
        for (String name : MARKER_CLASSES) {
            jars.add(jarOf(name));
        }
        for (Path p : extra) {
            jars.add(checkJar(p.toAbsolutePath().normalize()));
        }
        return new ArrayList<>(jars);
    }

    private static Path jarOf(String className) {
        Class<?> c;
        try {
            c = Class.forName(className, false, AgentJars.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ImageException(
                    "the agent needs " + className + ", which is not on this JVM's classpath; "
                            + "add its jar or pass the agent jars explicitly (RuntimeImage.Builder.agentJars)",
                    e);
        }
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new ImageException("cannot tell which jar holds " + className + "; pass the agent jars explicitly "
                    + "(RuntimeImage.Builder.agentJars)");
        }
        Path path;
        try {
            path = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ImageException(
                    "cannot read the location of " + className + " (" + source.getLocation()
                            + "); pass the agent jars explicitly (RuntimeImage.Builder.agentJars)",
                    e);
        }
        if (Files.isDirectory(path)) {
            throw new ImageException(
                    className + " was loaded from the class directory " + path + ", not a jar; "
                            + "build kinetic-core's jar (mvn package) or pass the agent jars explicitly (RuntimeImage.Builder.agentJars)");
        }
        return path;
    }

    private static Path checkJar(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ImageException("agent jar " + p + " does not exist or is not a file; pass jars, not directories");
        }
        return p;
    }
}
