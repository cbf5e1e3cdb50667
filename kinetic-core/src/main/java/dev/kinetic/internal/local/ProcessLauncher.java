package dev.kinetic.internal.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts a detached process; injected so tests can observe or fail launches. */
@FunctionalInterface
public interface ProcessLauncher {

    /**
     * Starts {@code command} with stdin from {@code /dev/null}, stdout and stderr appended to the given files.
     *
     * @return the process id
     */
    long launch(List<String> command, Map<String, String> extraEnv, Path stdout, Path stderr) throws IOException;

    /** The real launcher. */
    ProcessLauncher SYSTEM = (command, extraEnv, stdout, stderr) -> {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(extraEnv);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return builder.start().pid();
    };
}
