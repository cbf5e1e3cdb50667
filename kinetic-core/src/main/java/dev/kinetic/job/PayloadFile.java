package dev.kinetic.job;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The format of {@code payload.bin}: a small header the agent can read without the user's classes (the
 * captured environment, which must be set before the task JVM starts, and the output prefix), then the
 * Java-serialized {@link CallPayload}.
 * <pre>
 * "KINETIC-PAYLOAD-1\n" | int n | n x (utf key, utf value) | utf outputPrefix | serialized CallPayload
 * </pre>
 * JDK only: the task JVM reads it.
 */
public final class PayloadFile {
    private static final byte[] MAGIC = "KINETIC-PAYLOAD-1\n".getBytes(StandardCharsets.US_ASCII);

    private PayloadFile() {}

    /** The header the agent needs. */
    public record Header(Map<String, String> environment, String outputPrefix) {}

    /**
     * Serializes the call.
     *
     * @throws NotSerializableException naming the first class that is not serializable
     */
    public static byte[] write(Header header, CallPayload call) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.write(MAGIC);
        data.writeInt(header.environment().size());
        for (var e : header.environment().entrySet()) {
            data.writeUTF(e.getKey());
            data.writeUTF(e.getValue());
        }
        data.writeUTF(header.outputPrefix() == null ? "" : header.outputPrefix());
        data.flush();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(call);
        }
        return bytes.toByteArray();
    }

    /** Reads the header and leaves {@code in} at the start of the serialized call. */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a Kinetic payload (bad magic)");
        }
        int n = data.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("corrupt payload header (" + n + " environment entries)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            env.put(data.readUTF(), data.readUTF());
        }
        String output = data.readUTF();
        return new Header(env, output.isEmpty() ? null : output);
    }
}
