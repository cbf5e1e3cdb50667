package dev.kinetic.internal.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Class-data-sharing (AppCDS) archives for the JVMs Kinetic starts on this machine, one per classpath.
 *
 * <p>Why: most of a short job's wall time is two fresh JVMs loading, verifying and linking classes (the agent's
 * and, in the task, the serialization and lambda machinery a payload needs). An archive lets the JVM map them
 * instead. Java 17 has no automatic archive, so this class manages one per classpath:
 * <ol>
 * <li>the first JVM on a classpath dumps what it loaded when it exits ({@code -XX:ArchiveClassesAtExit}) to a
 *     private part file, under a lock that names the part and, once known, the dumping process;</li>
 * <li>after that process has exited, whoever looks next (its parent, or a later launcher) checks the part with a
 *     JVM that must map it ({@code -Xshare:on}) and only then renames it into place. A JVM never maps a partial
 *     archive: a truncated one crashes the JVM (SIGBUS) instead of being ignored.</li>
 * </ol>
 * Anything unexpected (a user's own CDS options, a busy lock, a failed check) means "start without an archive",
 * never a failed job. Archives live in the user's local cache, like the verified classpath entries next to them.
 */
public final class ClassArchives {
    private static final Duration STALE_LOCK = Duration.ofMinutes(10);
    private static final long CHECK_TIMEOUT_SECONDS = 60;
    /** Keeps CDS notes (classes it skips, archives it cannot use) out of the job's own output. */
    private static final String QUIET = "-Xlog:cds*=off";

    private final Path dir;

    public ClassArchives(Path dir) {
        this.dir = dir;
    }

    /**
     * What a launch on {@code classpath} should do: map the archive, dump one, or neither.
     *
     * @param jvmOptions the options the JVM gets besides these; when the user chose CDS options themselves, Kinetic
     *     adds none. Its {@code -X} options are part of the archive's name and of its check: an archive dumped
     *     under one heap or GC setting may not map under another.
     */
    public Plan plan(String classpath, List<String> jvmOptions) {
        // Loops, not streams with lambdas: the agent calls this before every task launch (see Agent).
        for (String o : jvmOptions) {
            if (o.startsWith("-Xshare")
                    || o.contains("SharedArchiveFile")
                    || o.contains("ArchiveClassesAtExit")
                    || o.contains("DumpLoadedClassList")) {
                return Plan.NONE;
            }
        }
        // AppCDS archives classes from jars only; a JVM asked to dump with a class directory on its path refuses.
        for (String entry : classpath.split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                return Plan.NONE;
            }
        }
        try {
            Files.createDirectories(dir);
            List<String> vm = vmOptions(jvmOptions);
            String key = key(classpath, vm);
            Path target = dir.resolve(key + ".jsa");
            if (Files.isRegularFile(target)) {
                return Plan.use(target);
            }
            Path lock = dir.resolve(key + ".lock");
            if (Files.exists(lock)) {
                Optional<Plan> settled = settle(lock, target, classpath, vm);
                if (settled.isPresent()) {
                    return settled.get();
                }
            }
            Path part = dir.resolve(key + ".jsa.part-" + UUID.randomUUID());
            try {
                Files.writeString(lock, part.toString(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                return Plan.NONE; // another launcher claimed it a moment ago
            }
            return new Plan(List.of("-XX:ArchiveClassesAtExit=" + part, QUIET), null, part, lock, target, vm);
        } catch (IOException | RuntimeException e) {
            return Plan.NONE;
        }
    }

    /**
     * Records which process is dumping, so a later launcher can finish its archive after it exited. Only needed
     * when the launcher does not wait for the process itself.
     */
    public void dumping(Plan plan, ProcessIdentity process) {
        if (!plan.dumps()) {
            return;
        }
        try {
            Path tmp = plan.lock().resolveSibling(plan.lock().getFileName() + ".tmp-" + process.pid());
            Files.writeString(tmp, plan.part() + "\n" + process.text());
            Files.move(tmp, plan.lock(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the lock then goes stale and a later launch dumps again
        }
    }

    /**
     * Finishes a dump after the dumping JVM exited: checks the part and renames it into place, or discards it.
     *
     * @param exitedNormally whether the JVM ended by itself (it dumps only then; a killed one leaves a partial file)
     * @return whether the archive is now in place
     */
    public boolean finish(Plan plan, String classpath, boolean exitedNormally) {
        if (!plan.dumps()) {
            return false;
        }
        try {
            boolean promoted = exitedNormally && promote(plan.part(), plan.target(), classpath, plan.vmOptions());
            Files.deleteIfExists(plan.part());
            Files.deleteIfExists(plan.lock());
            return promoted;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * After a task JVM launched with {@code plan} has exited with {@code exit}: keeps the archive it dumped if it
     * exited normally (0, or a failure it recorded itself), and drops the archive it mapped if the JVM crashed (134),
     * in case that was the cause.
     */
    void taskEnded(Plan plan, String classpath, int exit) {
        finish(plan, classpath, exit == 0 || exit == TaskMain.EXIT_FAILED);
        if (exit == 134 && plan.archive() != null) {
            try {
                Files.deleteIfExists(plan.archive());
            } catch (IOException e) {
                System.err.println("kinetic agent: could not remove class archive " + plan.archive() + ": " + e);
            }
        }
    }

    /** A lock exists: finish a dump whose process has exited, wait out one in progress, or clear a stale one. */
    private Optional<Plan> settle(Path lock, Path target, String classpath, List<String> vm) throws IOException {
        String[] lines;
        try {
            lines = Files.readString(lock).split("\n");
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        }
        Path part = Path.of(lines[0].trim());
        if (lines.length < 2) {
            // Claimed, process not yet recorded (or the parent waits for it itself): leave it unless stale.
            if (Files.getLastModifiedTime(lock)
                    .toInstant()
                    .isAfter(Instant.now().minus(STALE_LOCK))) {
                return Optional.of(Plan.NONE);
            }
        } else {
            if (ProcessIdentity.parse(lines[1]).running().isPresent()) {
                return Optional.of(Plan.NONE);
            }
            if (Files.exists(part) && promote(part, target, classpath, vm)) {
                Files.deleteIfExists(lock);
                return Optional.of(Plan.use(target));
            }
        }
        Files.deleteIfExists(part);
        Files.deleteIfExists(lock);
        return Optional.empty();
    }

    /** Renames {@code part} to {@code target} if a JVM can map it with this classpath. */
    private boolean promote(Path part, Path target, String classpath, List<String> vm) {
        if (!Files.isRegularFile(part)) {
            return false;
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of(javaExecutable()));
            command.addAll(vm);
            command.addAll(List.of(
                    "-XX:SharedArchiveFile=" + part,
                    "-Xshare:on",
                    QUIET,
                    "-XX:ErrorFile=" + dir.resolve("check-crash.log"),
                    "-cp",
                    classpath,
                    "-version"));
            Process check = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!check.waitFor(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return false;
            }
            if (check.exitValue() != 0) {
                return false;
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The archive's name: the JVM, the classpath and each entry's size and modification time. The JVM refuses an
     * archive whose jars changed; a new name makes the next launch dump a fresh one instead of never using any.
     */
    static String key(String classpath, List<String> vm) {
        StringBuilder text = new StringBuilder()
                .append(System.getProperty("java.home"))
                .append('\n')
                .append(System.getProperty("java.vm.version"))
                .append('\n')
                .append(String.join(" ", vm))
                .append('\n');
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            text.append(entry).append('|');
            try {
                text.append(Files.size(p))
                        .append('|')
                        .append(Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                text.append("missing");
            }
            text.append('\n');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The VM options ({@code -X...}) among a JVM's options: the ones an archive depends on. */
    private static List<String> vmOptions(List<String> jvmOptions) {
        List<String> vm = new java.util.ArrayList<>();
        for (String o : jvmOptions) {
            if (o.startsWith("-X")) {
                vm.add(o);
            }
        }
        return List.copyOf(vm);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * One launch's decision.
     *
     * @param options the JVM options to add
     * @param archive the archive mapped, or null
     * @param part where this launch dumps, or null
     * @param lock the lock held while dumping, or null
     * @param target where a finished dump goes, or null
     * @param vmOptions the JVM's own {@code -X} options, with which a dump is checked
     */
    public record Plan(List<String> options, Path archive, Path part, Path lock, Path target, List<String> vmOptions) {
        public static final Plan NONE = new Plan(List.of(), null, null, null, null, List.of());

        static Plan use(Path archive) {
            return new Plan(List.of("-XX:SharedArchiveFile=" + archive, QUIET), archive, null, null, null, List.of());
        }

        public boolean dumps() {
            return part != null;
        }
    }
}
