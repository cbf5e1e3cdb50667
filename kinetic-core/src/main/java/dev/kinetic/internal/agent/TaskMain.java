package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.CallPayload;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.internal.protocol.SafeObjectInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The task JVM's main class: runs the user's function with exactly the user's classpath. The agent has already
 * verified the payload's hash. Writes {@code value.bin} on success, or a {@link TaskFailure} (and
 * {@code failure.bin} when the exception serializes) on failure, into the directory it is given.
 *
 * <p>JDK only, because the user's classpath may not hold Kinetic's dependencies. Exit codes: 0 success,
 * {@link #EXIT_FAILED} when it recorded a failure; anything else means the task died (or called
 * {@code System.exit}) before it could record anything.
 */
public final class TaskMain {
    /** The task recorded a {@link TaskFailure}. */
    public static final int EXIT_FAILED = 86;

    public static final String VALUE = "value.bin";
    public static final String FAILURE_OBJECT = "failure.bin";

    private TaskMain() {}

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(TaskLoop.LOOP)) {
            TaskLoop.run(args[1]);
            return;
        }
        if (args.length != 2) {
            System.err.println("usage: TaskMain <payload.bin> <outcome-dir>");
            System.exit(2);
        }
        int exit = call(Path.of(args[0]), Path.of(args[1]));
        System.out.flush();
        System.err.flush();
        // Exit explicitly: the function may have left non-daemon threads running.
        Runtime.getRuntime().halt(exit);
    }

    /**
     * Runs the call in {@code payload}: its value goes to {@link #VALUE} in {@code outDir}, or its failure is recorded
     * there. Returns 0 on success, {@link #EXIT_FAILED} after recording a failure.
     */
    static int call(Path payload, Path outDir) {
        FailurePhase phase = FailurePhase.DESERIALIZE;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            CallPayload call;
            try (InputStream in = Files.newInputStream(payload)) {
                PayloadFile.readHeader(in);
                try (SafeObjectInput objects = new SafeObjectInput(in, loader)) {
                    call = (CallPayload) objects.readObject();
                }
            }
            phase = FailurePhase.EXECUTE;
            Object value = call.invoke();
            phase = FailurePhase.SERIALIZE_RESULT;
            writeAtomically(outDir.resolve(VALUE), serialize(value));
            return 0;
        } catch (Throwable t) {
            recordFailure(outDir, phase, t);
            return EXIT_FAILED;
        }
    }

    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    static void recordFailure(Path outDir, FailurePhase phase, Throwable t) {
        Throwable shown = t;
        if (phase == FailurePhase.DESERIALIZE && t instanceof ClassNotFoundException) {
            shown = new IllegalStateException(
                    "a class of the function is missing from the job's classpath: " + t.getMessage()
                            + "; submit from a JVM whose classpath holds it",
                    t);
        }
        try {
            String serializeError = null;
            try {
                writeAtomically(outDir.resolve(FAILURE_OBJECT), serialize(shown));
            } catch (IOException | RuntimeException notSerializable) {
                serializeError = String.valueOf(notSerializable);
            }
            TaskFailure failure = TaskFailure.of(phase, shown, serializeError);
            writeAtomically(outDir.resolve(TaskFailure.FILE), failure.toBytes());
            System.err.println(failure.stackTrace());
        } catch (Throwable nested) {
            // Out of memory or disk: the agent reports the exit code instead.
            System.err.println("kinetic: could not record the failure: " + nested);
        }
    }

    static void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(data);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
