package dev.kinetic.cli;

import dev.kinetic.spi.ClasspathSnapshot;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Parses {@code --classpath} as {@code java -cp} does: entries separated by {@code :}, and {@code dir/*} for
 * every jar in a directory. Unlike the JVM, a missing entry is an error: a typo would otherwise surface as a
 * ClassNotFoundException in a job minutes later.
 */
final class ClasspathArgument {
    private ClasspathArgument() {}

    /**
     * The entries in order, jars' manifest Class-Path included.
     *
     * @throws IllegalArgumentException naming the missing entries, or saying the classpath is empty
     */
    static List<Path> parse(String classpath) {
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalArgumentException("the classpath is empty: pass the jars or class directories that hold "
                    + "your main class, e.g. --classpath app.jar:lib/*");
        }
        List<String> expanded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String part : classpath.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            if (part.equals("*") || part.endsWith(File.separator + "*")) {
                Path dir = Path.of(
                        part.substring(0, part.length() - 1).isEmpty() ? "." : part.substring(0, part.length() - 1));
                List<String> jars = jarsIn(dir);
                if (jars == null) {
                    missing.add(part);
                } else {
                    expanded.addAll(jars);
                }
            } else if (Files.exists(Path.of(part))) {
                expanded.add(part);
            } else {
                missing.add(part);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("classpath entr" + (missing.size() == 1 ? "y " : "ies ")
                    + String.join(", ", missing) + (missing.size() == 1 ? " does" : " do")
                    + " not exist; check the path "
                    + "(relative paths are resolved against " + Path.of("").toAbsolutePath() + ")");
        }
        List<Path> entries = ClasspathSnapshot.expand(String.join(File.pathSeparator, expanded));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the classpath '" + classpath + "' names no jar or directory; pass the "
                    + "jars or class directories that hold your main class");
        }
        return entries;
    }

    /** The jars of {@code dir} in name order (the JVM's order is unspecified; a stable one makes stable jobs). */
    private static List<String> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                        String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                        return Files.isRegularFile(f) && (name.endsWith(".jar"));
                    })
                    .map(Path::toString)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return null;
        }
    }
}
