package dev.kinetic.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The format of {@code payload.bin}: a small header the agent can read without the user's classes (the
 * captured environment, which must be set before the task JVM starts, and the output prefix), then the
 * Java-serialized {@link CallPayload}.
 * <pre>
 * "KINETIC-PAYLOAD-2\n" | int n | n x utf name | utf outputPrefix | data refs | volumes | serialized CallPayload
 * (format 1, still read: "KINETIC-PAYLOAD-1\n" and n x (utf name, utf value): captured values in the payload)
 * </pre>
 * JDK only: the task JVM reads it.
 */
public final class PayloadFile {
    /** Written before captured values left the payload: the header holds the values themselves. Read, never written. */
    private static final byte[] MAGIC_V1 = "KINETIC-PAYLOAD-1\n".getBytes(StandardCharsets.US_ASCII);
    /** The header names the captured variables only; their values travel outside the store (see {@link Header}). */
    private static final byte[] MAGIC = "KINETIC-PAYLOAD-2\n".getBytes(StandardCharsets.US_ASCII);

    private PayloadFile() {}

    /**
     * The header the agent needs.
     *
     * @param captured the names of the captured environment variables; their values are never in the payload (nor
     *     anywhere in the store): the backend passes them to the agent (the local agent's environment, a Kubernetes
     *     Secret), and the agent to the task
     * @param legacyValues captured values, only in payloads written by versions before that (format 1); empty
     *     otherwise
     * @param outputPrefix where the task's outputs go, or null for the job's own
     * @param data the data the agent places before the task starts
     * @param volumes mount paths and the data key each shows
     */
    public record Header(
            List<String> captured,
            Map<String, String> legacyValues,
            String outputPrefix,
            List<DataRef> data,
            Map<String, String> volumes) {
        public Header {
            captured = List.copyOf(captured);
            legacyValues = legacyValues == null ? Map.of() : Map.copyOf(legacyValues);
            data = data == null ? List.of() : List.copyOf(data);
            volumes = volumes == null ? Map.of() : Map.copyOf(volumes);
        }

        /** Never the values: a header's text is safe to log. */
        @Override
        public String toString() {
            return "Header[captured=" + captured + ", outputPrefix=" + outputPrefix + ", data=" + data + "]";
        }
    }

    /**
     * A {@link dev.kinetic.Data} the agent must place before the task starts.
     *
     * @param key its directory under {@code KINETIC_DATA_DIR}
     * @param treeSha256 the uploaded tree's hash, or null for store data
     * @param storeUri the store object, or prefix ending in {@code /}, to download; null for uploaded data
     */
    public record DataRef(String key, String treeSha256, String storeUri) {}

    /**
     * Serializes the call.
     *
     * @throws NotSerializableException naming the first class that is not serializable
     */
    public static byte[] write(Header header, CallPayload call) throws IOException {
        return write(header, call, d -> d);
    }

    /**
     * Serializes the call, passing every {@link dev.kinetic.Data} found anywhere in it (arguments, lists, maps,
     * records, captured values) through {@code uploader} and listing it in the header.
     */
    public static byte[] write(
            Header header, CallPayload call, java.util.function.UnaryOperator<dev.kinetic.Data> uploader)
            throws IOException {
        java.util.Map<String, DataRef> refs = new java.util.LinkedHashMap<>();
        header.data().forEach(r -> refs.put(r.key(), r));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(body) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object obj) {
                if (obj instanceof dev.kinetic.Data d) {
                    dev.kinetic.Data shipped = uploader.apply(d);
                    refs.put(shipped.key(), new DataRef(shipped.key(), shipped.treeSha256(), shipped.storeUri()));
                    return shipped;
                }
                return obj;
            }
        }) {
            out.writeObject(call);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        data.write(MAGIC);
        data.writeInt(header.captured().size());
        for (String name : header.captured()) {
            data.writeUTF(name);
        }
        data.writeUTF(header.outputPrefix() == null ? "" : header.outputPrefix());
        data.writeInt(refs.size());
        for (DataRef r : refs.values()) {
            data.writeUTF(r.key());
            data.writeUTF(r.treeSha256() == null ? "" : r.treeSha256());
            data.writeUTF(r.storeUri() == null ? "" : r.storeUri());
        }
        data.writeInt(header.volumes().size());
        for (var v : header.volumes().entrySet()) {
            data.writeUTF(v.getKey());
            data.writeUTF(v.getValue());
        }
        data.flush();
        body.writeTo(bytes);
        return bytes.toByteArray();
    }

    /** The hashes of the uploaded data trees a payload's header names (not store URIs, which are not uploaded). */
    public static List<String> dataTrees(byte[] payload) {
        try {
            List<String> trees = new java.util.ArrayList<>();
            for (DataRef ref :
                    readHeader(new java.io.ByteArrayInputStream(payload)).data()) {
                if (ref.treeSha256() != null) {
                    trees.add(ref.treeSha256());
                }
            }
            return trees;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Kinetic payload: " + e.getMessage(), e);
        }
    }

    /** Reads the header and leaves {@code in} at the start of the serialized call. */
    public static Header readHeader(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        boolean v1 = java.util.Arrays.equals(magic, MAGIC_V1);
        if (!v1 && !java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a Kinetic payload (bad magic)");
        }
        int n = data.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("corrupt payload header (" + n + " environment entries)");
        }
        List<String> captured = new java.util.ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = data.readUTF();
            captured.add(name);
            if (v1) {
                env.put(name, data.readUTF());
            }
        }
        String output = data.readUTF();
        int refs = data.readInt();
        if (refs < 0 || refs > 100_000) {
            throw new IOException("corrupt payload header (" + refs + " data entries)");
        }
        List<DataRef> list = new java.util.ArrayList<>();
        for (int i = 0; i < refs; i++) {
            String key = data.readUTF();
            String tree = data.readUTF();
            String uri = data.readUTF();
            list.add(new DataRef(key, tree.isEmpty() ? null : tree, uri.isEmpty() ? null : uri));
        }
        int mounts = data.readInt();
        if (mounts < 0 || mounts > 10_000) {
            throw new IOException("corrupt payload header (" + mounts + " volumes)");
        }
        Map<String, String> volumes = new LinkedHashMap<>();
        for (int i = 0; i < mounts; i++) {
            volumes.put(data.readUTF(), data.readUTF());
        }
        return new Header(captured, env, output.isEmpty() ? null : output, list, volumes);
    }
}
