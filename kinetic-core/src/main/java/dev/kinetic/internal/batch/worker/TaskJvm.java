package dev.kinetic.internal.batch.worker;

import dev.kinetic.internal.agent.ClassArchives;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A task JVM started by a worker: either a loop JVM that runs one call after another ({@code TaskMain --loop}, for
 * {@code Isolation.PER_WORKER}), or a JVM for one call that exits after it ({@code Isolation.PER_INPUT}, exactly a single
 * job's task). Its output is routed to the current input's sink by an {@link OutputRouter}.
 */
final class TaskJvm {
    private final Process process;
    private final OutputRouter router;
    private final Thread pump;
    private final Writer commands;
    private final ClassArchives.Plan archive;
    private int seq;

    private TaskJvm(Process process, OutputRouter router, Thread pump, Writer commands, ClassArchives.Plan archive) {
        this.process = process;
        this.router = router;
        this.pump = pump;
        this.commands = commands;
        this.archive = archive;
    }

    /**
     * Starts the JVM in {@code dir} with {@code environment} added.
     *
     * @param token the loop's marker token, or null for a JVM of one call
     * @param sink where the output goes until the first call routes it elsewhere
     */
    static TaskJvm start(
            List<String> command,
            Path dir,
            Map<String, String> environment,
            String token,
            OutputSink sink,
            ClassArchives.Plan archive)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        if (token == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        OutputRouter router = new OutputRouter(process.getInputStream(), token);
        router.route(sink);
        Thread pump = new Thread(router, "kinetic-worker-output");
        pump.setDaemon(true);
        pump.start();
        Writer commands = null;
        if (token != null) {
            OutputStream stdin = process.getOutputStream();
            commands = new OutputStreamWriter(stdin, StandardCharsets.UTF_8);
        } else {
            process.getOutputStream().close();
        }
        return new TaskJvm(process, router, pump, commands, archive);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ClassArchives.Plan archive() {
        return archive;
    }

    /**
     * Runs one call in a loop JVM, its output going to {@code sink}.
     *
     * @return 0 when the call returned, the task's failure code when it threw, or the JVM's exit code when the JVM
     *     ended during the call (a {@code System.exit}, a crash, a kill)
     */
    int call(Path payload, Path outcomeDir, String jobId, OutputSink sink) throws InterruptedException {
        int mine = ++seq;
        router.route(sink);
        try {
            commands.write(mine + "\t" + payload + "\t" + outcomeDir + "\t" + jobId + "\n");
            commands.flush();
        } catch (IOException e) {
            // The JVM is gone (its stdin closed): its exit code says why.
            return exitCode();
        }
        Integer code = router.awaitEnd(mine);
        return code != null ? code : exitCode();
    }

    /** Waits for a JVM of one call to exit and its output to be routed; returns its exit code. */
    int awaitExit() throws InterruptedException {
        return exitCode();
    }

    private int exitCode() throws InterruptedException {
        int exit = process.waitFor();
        router.awaitEof();
        return exit;
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code graceMillis}. */
    void terminate(long graceMillis) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle p : tree) {
            p.destroyForcibly();
        }
    }

    /** Ends a loop JVM between calls: closes its stdin (it halts), then kills it if it lingers. */
    int close() throws InterruptedException {
        if (commands != null) {
            try {
                commands.close();
            } catch (IOException e) {
                // already gone
            }
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            terminate(5000);
        }
        pump.join(5000);
        return process.exitValue();
    }
}
