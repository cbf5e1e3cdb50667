package dev.kinetic.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.KineticException;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.ui.view.ResultValue;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a job's value when a page asks for it, and only then, without ever loading one of the job's own classes.
 * The core's reader resolves classes through the application class loader as a fallback, which in a JVM that shares
 * the user's classpath would run the user's code; so the dashboard reads {@code result.bin} itself, after checking
 * it against the hash in the plain-JSON outcome, with a stream that resolves classes from the JDK only and a filter
 * that admits only plain value types (numbers, strings, collections, maps, times). Anything else is never
 * instantiated: a class of the job's own shows as "needs the job's classpath".
 */
final class ResultReader {
    /** What the page shows for a value it cannot load. */
    static final String NEEDS_CLASSPATH = "needs the job's classpath";

    /** The JDK packages whose classes a shown value may be made of. */
    private static final List<String> ADMITTED = List.of("java.lang.", "java.util.", "java.math.", "java.time.");

    private ResultReader() {}

    /** {@code kinetic jobs result -o json}'s document, or its {@code needs-classpath} form. Keeps the job. */
    static Map<String, Object> read(BlobStore store, String id) {
        JobId jobId = JobId.of(id);
        JsonNode outcome = StoredOutcome.read(store, jobId)
                .orElseThrow(() -> new ApiError(HttpStatus.CONFLICT, "job " + id + " has not ended"));
        String expected = outcome.path("resultSha256").asText(null);
        byte[] data = store.get(JobLayout.resultData(jobId))
                .orElseThrow(() -> new ApiError(
                        HttpStatus.NOT_FOUND, "the result of job " + id + " was already collected and cleaned up"));
        String actual = Hashing.sha256(data);
        if (!actual.equals(expected)) {
            throw new KineticException(
                    id,
                    "result of job " + id + " is corrupt: expected sha256 " + expected + " but it hashes to " + actual
                            + "; it was not deserialized",
                    null);
        }
        try (JdkOnlyInput in = new JdkOnlyInput(data)) {
            return ResultValue.of(in.readObject()).document(id);
        } catch (ClassNotFoundException e) {
            return notShown(id, e.getMessage());
        } catch (InvalidClassException e) {
            return notShown(id, e.classname);
        } catch (IOException e) {
            throw new KineticException(id, "the result of job " + id + " cannot be read: " + e, e);
        }
    }

    private static Map<String, Object> notShown(String id, String className) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("status", "SUCCEEDED");
        doc.put("type", null);
        doc.put("format", "needs-classpath");
        doc.put("value", NEEDS_CLASSPATH);
        doc.put("missingClass", className);
        return doc;
    }

    /** Resolves from the JDK's own loaders only, and admits plain value types only, within bounds. */
    private static final class JdkOnlyInput extends ObjectInputStream {
        JdkOnlyInput(byte[] data) throws IOException {
            super(new ByteArrayInputStream(data));
            setObjectInputFilter(JdkOnlyInput::check);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            return Class.forName(desc.getName(), false, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws ClassNotFoundException {
            throw new ClassNotFoundException("a proxy of " + String.join(", ", interfaces));
        }

        static ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
            if (info.depth() > 64 || info.references() > 1_000_000 || info.arrayLength() > 10_000_000) {
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            while (type != null && type.isArray()) {
                type = type.getComponentType();
            }
            if (type == null || type.isPrimitive()) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            for (String admitted : ADMITTED) {
                if (type.getName().startsWith(admitted)) {
                    return ObjectInputFilter.Status.ALLOWED;
                }
            }
            return ObjectInputFilter.Status.REJECTED;
        }
    }
}
