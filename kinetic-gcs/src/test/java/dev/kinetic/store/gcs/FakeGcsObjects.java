package dev.kinetic.store.gcs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * The state behind {@link FakeGcsServer}: objects by bucket and name, each generation's bytes in its own file (so
 * large objects never sit in memory), and open resumable upload sessions. Creating or replacing an object is
 * atomic, including the generation precondition, as on Cloud Storage.
 *
 * <p>As on Cloud Storage, an object name takes about one mutation (create, replace, delete) per second: "Maximum
 * rate of writes to the same object name: One write per second" (https://cloud.google.com/storage/quotas); a faster
 * one is refused with 429 (https://cloud.google.com/storage/docs/gcs429) and nothing changes.
 */
final class FakeGcsObjects {

    /** One generation of an object. */
    record StoredObject(
            String bucket,
            String name,
            long generation,
            long size,
            Instant updated,
            Path file,
            String md5,
            String crc32c) {}

    /** A resumable upload in progress: bytes go to {@code file} until the final chunk arrives. */
    static final class Session {
        final String bucket;
        final String name;
        final Long ifGenerationMatch;
        final Path file;
        long received;

        Session(String bucket, String name, Long ifGenerationMatch, Path file) {
            this.bucket = bucket;
            this.name = name;
            this.ifGenerationMatch = ifGenerationMatch;
            this.file = file;
        }
    }

    /** A mutation refused because the object name was mutated less than {@link #MUTATION_INTERVAL_NANOS} ago. */
    static final class RateLimited extends Exception {
        private static final long serialVersionUID = 1L;

        RateLimited(String bucket, String name) {
            super("The object " + bucket + "/" + name + " exceeded the rate limit for object mutation operations "
                    + "(create, update, and delete). Please reduce your request rate. See "
                    + "https://cloud.google.com/storage/docs/gcs429.");
        }
    }

    /** A write refused because its generation precondition did not hold. */
    static final class PreconditionFailed extends Exception {
        private static final long serialVersionUID = 1L;

        PreconditionFailed(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong(1_000_000);
    /** When each object name ("bucket/name") was last mutated, in {@link System#nanoTime()}. */
    private final Map<String, Long> lastMutation = new ConcurrentHashMap<>();

    private final AtomicInteger rateLimited = new AtomicInteger();

    /** The least time between two mutations of one object name. */
    static final long MUTATION_INTERVAL_NANOS = 1_000_000_000L;

    FakeGcsObjects(Path dir) {
        this.dir = dir;
    }

    void createBucket(String bucket) {
        buckets.putIfAbsent(bucket, new ConcurrentSkipListMap<>());
    }

    boolean hasBucket(String bucket) {
        return buckets.containsKey(bucket);
    }

    /** The bucket's objects in name order, or null if there is no such bucket. */
    NavigableMap<String, StoredObject> bucket(String bucket) {
        return buckets.get(bucket);
    }

    StoredObject get(String bucket, String name) {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        return objects == null ? null : objects.get(name);
    }

    /** A new file for upload data, inside this store's directory. */
    Path newFile() throws IOException {
        return Files.createTempFile(dir, "object-", ".bin");
    }

    /**
     * Stores {@code content} (already on disk, moved into the store) as a new generation of the object. A write that
     * fails its precondition changes nothing and does not count as a mutation; a rate-limited one leaves
     * {@code content} in place, so a resumable session can still finish.
     */
    synchronized StoredObject commit(String bucket, String name, Path content, Long ifGenerationMatch)
            throws IOException, PreconditionFailed, RateLimited {
        NavigableMap<String, StoredObject> objects = buckets.get(bucket);
        StoredObject current = objects.get(name);
        long currentGeneration = current == null ? 0 : current.generation();
        if (ifGenerationMatch != null && ifGenerationMatch != currentGeneration) {
            Files.deleteIfExists(content);
            throw new PreconditionFailed("At least one of the pre-conditions you specified did not hold.");
        }
        mutate(bucket, name);
        long generation = generations.incrementAndGet();
        StoredObject stored = new StoredObject(
                bucket,
                name,
                generation,
                Files.size(content),
                Instant.now(),
                content,
                digest(content, "MD5"),
                crc32c(content));
        objects.put(name, stored);
        if (current != null) {
            Files.deleteIfExists(current.file()); // readers that opened it keep reading it (POSIX)
        }
        return stored;
    }

    synchronized boolean delete(String bucket, String name) throws IOException, RateLimited {
        if (!buckets.get(bucket).containsKey(name)) {
            return false;
        }
        mutate(bucket, name);
        StoredObject removed = buckets.get(bucket).remove(name);
        if (removed != null) {
            Files.deleteIfExists(removed.file());
        }
        return removed != null;
    }

    /** How many mutations were refused with 429 so far. */
    int rateLimitedCount() {
        return rateLimited.get();
    }

    /** Records a mutation of the object name, or refuses it if the last one was less than a second ago. */
    private void mutate(String bucket, String name) throws RateLimited {
        String id = bucket + "/" + name;
        long now = System.nanoTime();
        Long last = lastMutation.get(id);
        if (last != null && now - last < MUTATION_INTERVAL_NANOS) {
            rateLimited.incrementAndGet();
            throw new RateLimited(bucket, name);
        }
        lastMutation.put(id, now);
    }

    Session openSession(String id, String bucket, String name, Long ifGenerationMatch) throws IOException {
        Session session = new Session(bucket, name, ifGenerationMatch, newFile());
        sessions.put(id, session);
        return session;
    }

    Session session(String id) {
        return sessions.get(id);
    }

    void closeSession(String id) {
        sessions.remove(id);
    }

    /** Appends the bytes of a chunk that start at {@code offset}, skipping any the session already has. */
    static void append(Session session, long offset, InputStream chunk) throws IOException {
        long skip = session.received - offset;
        if (skip < 0) {
            throw new IOException(
                    "chunk starts at " + offset + " but only " + session.received + " bytes were received");
        }
        chunk.skipNBytes(Math.min(skip, Long.MAX_VALUE));
        try (OutputStream out = Files.newOutputStream(session.file, StandardOpenOption.APPEND)) {
            session.received += chunk.transferTo(out);
        }
    }

    /**
     * Forgets the last {@code bytes} the session received, as Cloud Storage may persist only part of a chunk: its
     * 308 answer's {@code Range} header then names what it kept, and the client sends the rest again
     * (https://cloud.google.com/storage/docs/performing-resumable-uploads).
     */
    static void dropTail(Session session, long bytes) throws IOException {
        try (FileChannel file = FileChannel.open(session.file, StandardOpenOption.WRITE)) {
            file.truncate(session.received - bytes);
        }
        session.received -= bytes;
    }

    private static String digest(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        long v = crc.getValue();
        return Base64.getEncoder()
                .encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
