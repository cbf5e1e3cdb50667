package dev.kinetic.backend.kubernetes.testnode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command with its configuration and storage kept under one directory, so a test touches
 * neither {@code /etc/containers} nor {@code /var/lib/containers} and leaves nothing behind.
 *
 * <p>The engine settings are the ones this kind of VM needs (no CAP_SYS_RESOURCE, cgroup v1/hybrid): runc (crun
 * refuses hybrid cgroups), cgroupfs (no systemd), file events (no journald). Every container also gets ulimits
 * within the hard limits, since podman's default of raising them fails with "setrlimit: Operation not permitted".
 */
public final class Podman {
    static final Path BINARY = Path.of(System.getProperty("kinetic.test.podman", "/usr/bin/podman"));
    /** Run options every container needs on this kind of machine (see the class comment). */
    static final List<String> RUN_OPTIONS = List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");

    /** What a finished podman command printed (stdout and stderr merged) and its exit code. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path root;

    private Podman(Path root) {
        this.root = root;
    }

    /** Why podman cannot be used here, or null when its binary (and runc, which it needs here) are installed. */
    public static String missingReason() {
        if (!Files.isExecutable(BINARY)) {
            return "no podman at " + BINARY + ": install it (apt-get install -y --no-install-recommends podman runc) "
                    + "to run the container tier";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/runc")) && !Files.isExecutable(Path.of("/usr/bin/runc"))) {
            return "podman is installed but runc is not (apt-get install -y --no-install-recommends runc); crun "
                    + "cannot run containers on hosts with hybrid cgroups";
        }
        return null;
    }

    /** A podman whose configuration and storage live under {@code root}. */
    public static Podman under(Path root) throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("containers.conf"), """
                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%s"
                """.formatted(root.resolve("events.log")));
        Files.writeString(root.resolve("storage.conf"), """
                [storage]
                driver = "overlay"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(root.resolve("storage"), root.resolve("run")));
        return new Podman(root);
    }

    /** A process builder for {@code podman ARGS} with this instance's configuration; output not redirected. */
    public ProcessBuilder command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        // Its own warnings would otherwise land in the container's log, which is the pod log the tests read.
        command.add("--log-level=error");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment()
                .put("CONTAINERS_CONF", root.resolve("containers.conf").toString());
        builder.environment()
                .put("CONTAINERS_STORAGE_CONF", root.resolve("storage.conf").toString());
        builder.environment().put("TMPDIR", tmp().toString());
        return builder;
    }

    /** Runs {@code podman ARGS} to completion; throws if it takes longer than {@code timeout}. */
    public Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp(), "podman-", ".out");
        try {
            Process p = command(List.of(args))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IOException("podman " + String.join(" ", args) + " did not finish within " + timeout + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(
                    p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs {@code podman ARGS} and fails, with its output, unless it exits 0. */
    public String check(Duration timeout, String... args) throws IOException, InterruptedException {
        Result r = run(timeout, args);
        if (!r.ok()) {
            throw new IOException(
                    "podman " + String.join(" ", args) + " exited with " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /**
     * Why containers cannot run here, or null: runs {@code java -version} in {@code image} (no network), the
     * smallest thing the container tier needs.
     */
    public String trialRunFailure(String image) throws IOException, InterruptedException {
        List<String> trial = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        trial.addAll(RUN_OPTIONS);
        trial.addAll(List.of(image, "java", "-version"));
        Result r = run(Duration.ofMinutes(2), trial.toArray(String[]::new));
        return r.ok()
                ? null
                : "podman cannot run containers on this machine: `podman " + String.join(" ", trial) + "` exited with "
                        + r.exitCode() + ": " + r.output();
    }

    /** Removes every container and image, and podman's storage with them. */
    public void reset() throws IOException, InterruptedException {
        run(Duration.ofMinutes(2), "system", "reset", "--force");
    }

    private Path tmp() {
        try {
            return Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
