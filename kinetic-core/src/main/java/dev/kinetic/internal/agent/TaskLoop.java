package dev.kinetic.internal.agent;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A batch worker's long-lived task JVM ({@code TaskMain --loop TOKEN}): runs one call after another in the same JVM,
 * so the function's classes and static state stay from one input to the next. It reads one line per call from stdin,
 * {@code <seq> TAB <payload.bin> TAB <outcome-dir> TAB <job id>}, writes the value or the failure into the outcome
 * directory as {@link TaskMain} does, and then, after flushing everything the call printed, writes the end marker
 * ({@link #marker}) to stdout: the worker splits the output into each input's log at that marker, so every byte the
 * call printed before it returned lands in that input's log. The current input's job id is the system property
 * {@value #JOB_ID_PROPERTY} (the environment cannot change in a running JVM). Ends when stdin closes, or when the worker
 * that started it is gone.
 */
final class TaskLoop {
    /** TaskMain's first argument for this mode. */
    static final String LOOP = "--loop";
    /** The current input's job id. */
    static final String JOB_ID_PROPERTY = "kinetic.job.id";

    private TaskLoop() {}

    /** The bytes that end call {@code seq}, which ended with {@code code} (0, or {@link TaskMain#EXIT_FAILED}). */
    static byte[] marker(String token, int seq, int code) {
        return ("\u0000KINETIC-END " + token + " " + seq + " " + code + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static void run(String token) {
        watchParent();
        // The marker goes to the real stdout even if the function replaces System.out.
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = commands.readLine()) != null) {
                String[] call = line.split("\t");
                int code = call(Path.of(call[1]), Path.of(call[2]), call[3]);
                System.out.flush();
                System.err.flush();
                stdout.write(marker(token, Integer.parseInt(call[0]), code));
                stdout.flush();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("kinetic: the task loop stopped: " + e);
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
        // The worker closed stdin: no input is left. Halt: the function may have left non-daemon threads running.
        Runtime.getRuntime().halt(0);
    }

    /** Runs one call; returns 0 on success, {@link TaskMain#EXIT_FAILED} after recording a failure. */
    private static int call(Path payload, Path outDir, String jobId) {
        System.setProperty(JOB_ID_PROPERTY, jobId);
        return TaskMain.call(payload, outDir);
    }

    /**
     * Halts when the worker that started this JVM is gone (SIGKILL, out of memory): its input is taken over by another
     * worker, so this call must not keep running for nobody.
     */
    private static void watchParent() {
        final long parent = ProcessHandle.current().parent().isPresent()
                ? ProcessHandle.current().parent().get().pid()
                : -1;
        Thread watch = new Thread("kinetic-task-parent") {
            @Override
            public void run() {
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    java.util.Optional<ProcessHandle> worker = ProcessHandle.of(parent);
                    if (parent > 0 && (worker.isEmpty() || !worker.get().isAlive())) {
                        Runtime.getRuntime().halt(137);
                    }
                }
            }
        };
        watch.setDaemon(true);
        watch.start();
    }
}
