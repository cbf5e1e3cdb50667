package dev.kinetic.internal.protocol;

import dev.kinetic.KineticException;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Idempotent submission: a key names at most one job at a time. The key's claims are create-only objects
 * ({@code idempotency/<key>/<generation>}, each holding a job id), so of two submitters racing on one key exactly
 * one wins and the other returns the winner's job.
 *
 * <p>A claim whose job has no record is either being recorded right now (the claim is taken just before the record
 * is written) or stale: its submitter died in between, or the job was cleaned up. A submitter waits for such a
 * record for up to {@link #RECORD_WAIT} of its own time, so no clock skew between machines matters, then takes the
 * key over by creating the next generation, again create-only. Claims older than {@link #STALE} by the store's clock
 * are taken over at once.
 */
public final class IdempotencyKeys {
    static final Duration RECORD_WAIT = Duration.ofSeconds(30);
    static final Duration STALE = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 200;

    private final Clock clock;

    public IdempotencyKeys(Clock clock) {
        this.clock = clock;
    }

    /**
     * Claims {@code key} for {@code proposed}, or finds the job that holds it.
     *
     * @return {@code proposed} when this submission won the key and must go on to record it; otherwise the id of
     *     the job the key already names, whose record exists
     */
    public JobId claim(BlobStore store, String key, JobId proposed) {
        long waitingSince = System.nanoTime();
        String waitingFor = null;
        while (true) {
            List<BlobInfo> claims = store.list(JobLayout.idempotencyPrefix(key));
            if (claims.isEmpty()) {
                if (store.putIfAbsent(JobLayout.idempotencyClaim(key, 0), bytes(proposed))) {
                    return proposed;
                }
                continue; // someone else won generation 0: read it
            }
            BlobInfo latest = claims.get(claims.size() - 1);
            Optional<JobId> holder = store.get(latest.key()).map(IdempotencyKeys::parse);
            if (holder.isEmpty()) {
                continue; // removed by a cleanup just now: look again
            }
            if (store.exists(JobLayout.record(holder.get()))) {
                return holder.get();
            }
            if (!latest.key().equals(waitingFor)) {
                waitingFor = latest.key();
                waitingSince = System.nanoTime();
            }
            boolean waitedEnough = System.nanoTime() - waitingSince > RECORD_WAIT.toNanos();
            boolean old = latest.lastModified() != null
                    && latest.lastModified().isBefore(clock.instant().minus(STALE));
            if (waitedEnough || old) {
                int next = generationOf(latest.key()) + 1;
                if (store.putIfAbsent(JobLayout.idempotencyClaim(key, next), bytes(proposed))) {
                    return proposed;
                }
                continue; // another submitter took it over first: wait for its record
            }
            sleep();
        }
    }

    /**
     * Gives up the key's claims on job {@code id}: after its submission failed, or once the job is cleaned up, so the
     * next submission with the key starts a new job at once instead of waiting for a record that will not come.
     */
    public static void release(BlobStore store, String key, JobId id) {
        for (BlobInfo b : store.list(JobLayout.idempotencyPrefix(key))) {
            if (store.get(b.key())
                    .map(IdempotencyKeys::parse)
                    .filter(id::equals)
                    .isPresent()) {
                store.delete(b.key());
            }
        }
    }

    private static int generationOf(String claimKey) {
        return Integer.parseInt(claimKey.substring(claimKey.lastIndexOf('/') + 1));
    }

    private static byte[] bytes(JobId id) {
        return id.value().getBytes(StandardCharsets.UTF_8);
    }

    private static JobId parse(byte[] b) {
        try {
            return JobId.of(new String(b, StandardCharsets.UTF_8).trim());
        } catch (IllegalArgumentException e) {
            throw new KineticException("an idempotency claim in the store does not hold a job id (" + e.getMessage()
                    + "); delete it under idempotency/ in the store, or use another key");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while waiting for the job an idempotency key names", e);
        }
    }
}
