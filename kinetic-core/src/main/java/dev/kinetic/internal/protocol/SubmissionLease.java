package dev.kinetic.internal.protocol;

import dev.kinetic.KineticException;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the collector ({@code kinetic gc}) away from a submission's uploads until the submission is recorded. A
 * submitter that finds a classpath entry already in {@code cas/} uploads nothing and relies on it; if a collection
 * deleted that object before the job's record existed, the job would start without it. So:
 * <ol>
 *   <li>the submitter writes a lease ({@code leases/<random>}, create-only) before it checks or uploads anything,
 *       then waits while a collection holds {@code gc/lock};
 *   <li>the collector writes {@code gc/lock} (create-only), then lists the leases, and sweeps {@code cas/} only when
 *       none is live.
 * </ol>
 * Whichever comes second sees the other: a lease written before the lock is seen by the collector, which then skips
 * its sweep; a lease written after it waits for the lock to go. A lease is deleted once the job (or batch) is
 * recorded, or its submission failed; one left by a submitter that died expires after {@link #TTL}.
 */
public final class SubmissionLease implements AutoCloseable {
    /** A lease older than this belongs to a submitter that died. */
    public static final Duration TTL = Duration.ofHours(1);
    /** A lock older than this belongs to a collector that died. */
    public static final Duration LOCK_TTL = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long POLL_MILLIS = 500;

    private final BlobStore store;
    private final String key;

    private SubmissionLease(BlobStore store, String key) {
        this.store = store;
        this.key = key;
    }

    /**
     * Takes a lease for a submission about to upload, then waits while a collection is running.
     *
     * @param maxWait how long to wait for a running collection before giving up with an error
     */
    public static SubmissionLease acquire(BlobStore store, Clock clock, Duration maxWait) {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        String key = JobLayout.LEASES + HexFormat.of().formatHex(id);
        store.putIfAbsent(key, clock.instant().toString().getBytes(StandardCharsets.UTF_8));
        SubmissionLease lease = new SubmissionLease(store, key);
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (collectionRunning(store, clock)) {
            if (System.nanoTime() > deadline) {
                lease.close();
                throw new KineticException("a collection (kinetic gc) has held " + JobLayout.GC_LOCK + " in "
                        + store.uri() + " for longer than " + maxWait.toSeconds() + " s; submit again once it is done, "
                        + "or delete that object if no collection is running");
            }
            sleep();
        }
        return lease;
    }

    /** Whether a collection holds the lock (one whose lock is older than {@link #LOCK_TTL} is taken as dead). */
    public static boolean collectionRunning(BlobStore store, Clock clock) {
        Optional<BlobInfo> lock = store.stat(JobLayout.GC_LOCK);
        return lock.isPresent() && !olderThan(lock.get(), LOCK_TTL, clock);
    }

    /** The leases of submissions that may still be uploading (younger than {@link #TTL}). */
    public static List<BlobInfo> live(BlobStore store, Clock clock) {
        return store.list(JobLayout.LEASES).stream()
                .filter(b -> !olderThan(b, TTL, clock))
                .toList();
    }

    private static boolean olderThan(BlobInfo b, Duration age, Clock clock) {
        Instant modified = b.lastModified();
        return modified != null && modified.isBefore(clock.instant().minus(age));
    }

    /** Ends the lease (the submission is recorded, or failed). Best effort: a lease left behind expires. */
    @Override
    public void close() {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            // it expires after TTL
        }
    }

    /**
     * Ends the lease; when the store refuses now (an outage ended the submission), keeps trying on {@code background}
     * for a few minutes, so a collection is not held off for the lease's whole {@link #TTL}.
     */
    public void release(java.util.concurrent.Executor background) {
        try {
            store.delete(key);
        } catch (RuntimeException refused) {
            background.execute(() -> {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
                long pause = 500;
                while (System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(pause);
                        store.delete(key);
                        return;
                    } catch (InterruptedException e) {
                        return; // the session is closing; the lease expires
                    } catch (RuntimeException stillRefused) {
                        pause = Math.min(pause * 2, 10_000);
                    }
                }
            });
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while waiting for a collection to finish", e);
        }
    }
}
