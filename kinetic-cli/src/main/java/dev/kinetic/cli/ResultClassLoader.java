package dev.kinetic.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ParameterException;

/**
 * The class loader that reads results (and remote exceptions) of the user's own classes: the CLI's classes plus
 * {@code --classpath}. Shared by {@code jobs result} and {@code batches results}.
 */
final class ResultClassLoader {
    private ResultClassLoader() {}

    /**
     * A loader over {@code classpath} (null for none); a missing or malformed entry is a usage error made by
     * {@code usage}.
     */
    static URLClassLoader of(String classpath, Function<String, ParameterException> usage) {
        List<Path> entries;
        try {
            entries = classpath == null ? List.of() : ClasspathArgument.parse(classpath);
        } catch (IllegalArgumentException e) {
            throw usage.apply(e.getMessage());
        }
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw usage.apply("classpath entry " + entries.get(i) + " is not a valid location: " + e.getMessage());
            }
        }
        return new URLClassLoader(urls, ResultClassLoader.class.getClassLoader());
    }
}
