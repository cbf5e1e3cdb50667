package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@code kinetic.jar} run as a separate process against an isolated installation: its own
 * KINETIC_HOME (and so its own directory store) under a test's temporary folder, and none of the caller's
 * KINETIC_* variables. Each call waits for the process (bounded) and returns what it printed.
 */
final class KineticCli {
    /** The JVM options bin/kinetic uses, so the tests start the jar as users do. */
    private static final List<String> JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private static final long TIMEOUT_SECONDS = 90;

    private final Path jar;
    private final Path home;
    private final Path scratch;
    private final Map<String, String> environment = new HashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    KineticCli(Path root) throws IOException {
        this.jar =
                Path.of(System.getProperty("kinetic.jar", "target/kinetic.jar")).toAbsolutePath();
        assertThat(jar)
                .as("the shaded jar; run the tests with `mvn verify`, which builds it first")
                .isRegularFile();
        this.home = Files.createDirectories(root.resolve("home"));
        this.scratch = Files.createDirectories(root.resolve("calls"));
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("KINETIC_") && !k.equals("NO_COLOR")) {
                environment.put(k, v);
            }
        });
        environment.put("KINETIC_HOME", home.toString());
    }

    /** The compiled fixtures (target/test-classes): the classpath jobs run. */
    static String fixturesClasspath() {
        return Path.of(System.getProperty("kinetic.fixtures", "target/test-classes"))
                .toAbsolutePath()
                .toString();
    }

    Path home() {
        return home;
    }

    /** The environment every call gets; tests may add variables. */
    Map<String, String> environment() {
        return environment;
    }

    CliResult run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs {@code java -jar kinetic.jar args} with {@code extraEnv} on top of the isolated environment. */
    CliResult run(Map<String, String> extraEnv, String... args) {
        int n = calls.incrementAndGet();
        Path out = scratch.resolve(n + ".out");
        Path err = scratch.resolve(n + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().putAll(extraEnv);
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kinetic " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS
                        + "s; stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new CliResult(
                    List.of(args),
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running kinetic " + String.join(" ", args), e);
        }
    }

    /**
     * Starts {@code java -jar kinetic.jar args} without waiting, for a command that serves until stopped
     * ({@code kinetic ui}); its stdout goes to {@code out} and its stderr to {@code err}. The caller destroys it.
     */
    Process start(Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** {@code kinetic submit --detach} of a fixture main class; returns the job id it printed. */
    String submitDetached(String mainClass, String... argsAndOptions) {
        List<String> args =
                new ArrayList<>(List.of("submit", "--detach", "--classpath", fixturesClasspath(), "--main", mainClass));
        args.addAll(List.of(argsAndOptions));
        CliResult r = run(args.toArray(new String[0]));
        r.assertExit(ExitCodes.OK);
        return r.out().trim();
    }

    /** Waits for a job to end, keeping it, whatever its outcome. */
    void awaitEnd(String id) {
        run("jobs", "result", id, "--no-cleanup", "--timeout", "60");
    }
}
