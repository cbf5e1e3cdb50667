package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the task JVM tells its agent when the function (or its deserialization, or the serialization of its result)
 * failed: written by {@link TaskMain} to {@code failure.dat}, read by the agent into the job's outcome. One class
 * writes and reads it, in a versioned binary form, because the task runs on the user's classpath, where neither
 * Jackson nor any other library of Kinetic's can be assumed.
 *
 * @param phase where it failed
 * @param type the exception's class name
 * @param message the exception's message, or null
 * @param stackTrace the stack trace as {@code printStackTrace} prints it, causes included
 * @param frames the exception's own frames
 * @param serializeError why the exception itself could not be serialized into {@code failure.bin}, or null
 */
public record TaskFailure(
        FailurePhase phase,
        String type,
        String message,
        String stackTrace,
        List<JobOutcome.Frame> frames,
        String serializeError) {
    /** The file in the outcome directory. */
    public static final String FILE = "failure.dat";

    private static final int FORMAT = 1;

    public TaskFailure {
        frames = List.copyOf(frames);
    }

    /** The failure of {@code thrown} in {@code phase}. */
    public static TaskFailure of(FailurePhase phase, Throwable thrown, String serializeError) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        List<JobOutcome.Frame> frames = new ArrayList<>();
        for (StackTraceElement e : thrown.getStackTrace()) {
            frames.add(JobOutcome.Frame.of(e));
        }
        return new TaskFailure(
                phase, thrown.getClass().getName(), thrown.getMessage(), trace.toString(), frames, serializeError);
    }

    /** The one-line reason for humans: {@code type: message}. */
    public String reason() {
        return message == null ? type : type + ": " + message;
    }

    public byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            writeString(out, phase.wireName());
            writeString(out, type);
            writeString(out, message);
            writeString(out, stackTrace);
            out.writeInt(frames.size());
            for (JobOutcome.Frame f : frames) {
                writeString(out, f.className());
                writeString(out, f.method());
                writeString(out, f.file());
                out.writeInt(f.line());
            }
            writeString(out, serializeError);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #toBytes()} wrote.
     *
     * @throws IOException when the file is truncated or of an unknown format
     */
    public static TaskFailure read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(raw)) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException("task failure " + file + " has format " + format + ", expected " + FORMAT);
            }
            FailurePhase phase = FailurePhase.fromWire(readString(in));
            String type = readString(in);
            String message = readString(in);
            String trace = readString(in);
            int count = in.readInt();
            List<JobOutcome.Frame> frames = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                frames.add(new JobOutcome.Frame(readString(in), readString(in), readString(in), in.readInt()));
            }
            return new TaskFailure(phase, type, message, trace, frames, readString(in));
        }
    }

    /** Length-prefixed UTF-8, -1 for null: {@code writeUTF} stops at 64 KiB, and stack traces can be longer. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
