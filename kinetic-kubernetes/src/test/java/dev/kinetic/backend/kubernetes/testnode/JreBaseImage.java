package dev.kinetic.backend.kubernetes.testnode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java 17 base image for the container tier. No public registry is reachable from CI, so it is made here:
 * a Debian bookworm root filesystem from {@code debootstrap --variant=minbase} with
 * {@code openjdk-17-jre-headless} (about a minute, 470 MB), kept as a tar in a cache that outlives
 * {@code mvn clean} ({@code /var/tmp/kinetic-test-base}, or {@code -Dkinetic.test.base.cache}), then imported
 * into podman and pushed to the test's registry on every run (seconds).
 */
public final class JreBaseImage {
    static final Path DEBOOTSTRAP = Path.of("/usr/sbin/debootstrap");
    private static final String SUITE = "bookworm";
    private static final String TAR = "debian-" + SUITE + "-minbase-openjdk-17-jre-headless.tar";
    private static final String LOCAL_NAME = "localhost/kinetic-test/jre:17";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private JreBaseImage() {}

    /** Why the base cannot be built here, or null. */
    public static String missingReason() {
        if (Files.isRegularFile(cacheDir().resolve(TAR))) {
            return null;
        }
        return Files.isExecutable(DEBOOTSTRAP)
                ? null
                : "no cached base image at " + cacheDir().resolve(TAR) + " and no " + DEBOOTSTRAP
                        + " to build one: apt-get install -y --no-install-recommends debootstrap";
    }

    /** Imports the root filesystem into podman, under a local name, and returns that name. */
    public static String importInto(Podman podman) throws IOException, InterruptedException {
        Path tar = rootfsTar();
        // An imported tar has no configuration: PATH is what makes the image's `java` the JRE's.
        podman.check(
                Duration.ofMinutes(5),
                "import",
                "-q",
                "--change",
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                tar.toString(),
                LOCAL_NAME);
        return LOCAL_NAME;
    }

    /** Pushes the imported image to {@code registry} (plain HTTP) and returns its reference there. */
    public static String push(Podman podman, String registry) throws IOException, InterruptedException {
        String reference = registry + "/base/jre:17";
        podman.check(Duration.ofMinutes(5), "push", "-q", "--tls-verify=false", LOCAL_NAME, reference);
        return reference;
    }

    /** The cached root filesystem tar, built first if missing (one build at a time, across JVMs). */
    static Path rootfsTar() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(cacheDir());
        Path tar = dir.resolve(TAR);
        try (FileChannel lockFile =
                FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lockFile.lock(); // released when the channel closes; another JVM building meanwhile makes this one wait
            if (!Files.isRegularFile(tar)) {
                build(dir, tar);
            }
        }
        return tar;
    }

    private static void build(Path dir, Path tar) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(dir, "build-");
        Path rootfs = work.resolve("rootfs");
        Path log = dir.resolve("build.log");
        Files.deleteIfExists(log);
        try {
            exec(
                    log,
                    List.of(
                            DEBOOTSTRAP.toString(),
                            "--variant=minbase",
                            "--include=openjdk-17-jre-headless",
                            SUITE,
                            rootfs.toString(),
                            mirror()));
            Path partial = work.resolve(TAR);
            // The kernel's file systems are mounted by the container runtime, not shipped in the image.
            exec(
                    log,
                    List.of(
                            "tar",
                            "-C",
                            rootfs.toString(),
                            "--exclude=./proc/*",
                            "--exclude=./sys/*",
                            "--exclude=./dev/*",
                            "-cf",
                            partial.toString(),
                            "."));
            Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE); // never a half-written cache entry
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
        }
    }

    private static void exec(Path log, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + BUILD_TIMEOUT + "; see " + log);
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            throw new IOException("building the JRE base image failed: " + String.join(" ", command) + " exited with "
                    + p.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
    }

    /** The host's Debian mirror (the one apt uses), so the build works wherever apt does. */
    private static String mirror() throws IOException {
        String configured = System.getProperty("kinetic.test.debian.mirror");
        if (configured != null) {
            return configured;
        }
        Path sources = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isRegularFile(sources)) {
            for (String line : Files.readAllLines(sources)) {
                if (line.startsWith("URIs:") && !line.contains("security")) {
                    return line.substring("URIs:".length()).trim().split("\\s+")[0];
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    static Path cacheDir() {
        return Path.of(System.getProperty("kinetic.test.base.cache", "/var/tmp/kinetic-test-base"));
    }
}
