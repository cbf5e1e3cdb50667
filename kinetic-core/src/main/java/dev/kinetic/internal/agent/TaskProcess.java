package dev.kinetic.internal.agent;

import dev.kinetic.internal.log.StoreLogWriter;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The task JVM: exactly the user's classpath (plus Kinetic's own classes for {@link TaskMain}, after the user's),
 * the user's JVM options, and a class-data-sharing archive when one fits. Its output is teed to the agent's stdout
 * (the live log) and the store log.
 */
public final class TaskProcess {
    private final Process process;
    private final Thread pump;

    private TaskProcess(Process process, Thread pump) {
        this.process = process;
        this.pump = pump;
    }

    /** The command line of a task JVM. */
    static List<String> command(
            String classpath, List<String> archiveOptions, List<String> jvmArgs, Path payload, Path outcomeDir) {
        List<String> args = new ArrayList<>();
        args.add(payload.toString());
        args.add(outcomeDir.toString());
        return command(classpath, archiveOptions, jvmArgs, args);
    }

    /** The command line of a task JVM running {@link TaskMain} with {@code taskArgs}. */
    public static List<String> command(
            String classpath, List<String> archiveOptions, List<String> jvmArgs, List<String> taskArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(archiveOptions); // before the user's options, which may override them
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(TaskMain.class.getName());
        command.addAll(taskArgs);
        return command;
    }

    /** The task's classpath: the user's entries, then Kinetic's own (so the user's copy of Kinetic, if any, wins). */
    public static String classpath(List<Path> entries) {
        List<String> all = new ArrayList<>();
        for (Path p : entries) {
            all.add(p.toString());
        }
        all.add(runtimeLocation());
        return String.join(File.pathSeparator, all);
    }

    /** Starts the task in {@code workDir} with {@code environment} added, its output going to {@code log}. */
    static TaskProcess start(List<String> command, Path workDir, Map<String, String> environment, StoreLogWriter log)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        InputStream output = process.getInputStream();
        Thread pump = new Thread("kinetic-agent-output") {
            @Override
            public void run() {
                tee(output, log);
            }
        };
        pump.start();
        return new TaskProcess(process, pump);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the task to exit and its output to be drained; returns its exit code. */
    int waitFor() throws InterruptedException {
        int exit = process.waitFor();
        pump.join();
        return exit;
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code graceMillis}. */
    void terminate(long graceMillis) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * Stops the task and every process it started: SIGTERM to all of them, then SIGKILL to whatever is left after
     * {@code graceMillis}. The tree is collected first, because once the task is gone its children are re-parented
     * and no longer found.
     */
    void terminateTree(long graceMillis) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>();
        for (java.util.Iterator<ProcessHandle> it = process.descendants().iterator(); it.hasNext(); ) {
            tree.add(it.next());
        }
        process.destroy();
        for (ProcessHandle p : tree) {
            p.destroy();
        }
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
        for (ProcessHandle p : tree) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    void kill() {
        process.destroyForcibly();
    }

    /** Tees the task's output to our stdout (the live log) and the store log. */
    private static void tee(InputStream in, StoreLogWriter log) {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
                log.write(buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("kinetic agent: output pump stopped: " + e);
        }
    }

    private static String runtimeLocation() {
        try {
            return Path.of(TaskMain.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate Kinetic's own classes", e);
        }
    }
}
