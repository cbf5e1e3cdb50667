package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the agent writes about its job to the store: events, the result and the outcome. What the job produced
 * is written persistently, riding out a store outage of up to {@link #STORE_PATIENCE}: the work is done and must not
 * be lost to a blip.
 */
public final class JobWriter {
    /** How long the agent keeps trying to store a finished job's result and outcome. */
    static final Duration STORE_PATIENCE = Duration.ofSeconds(60);

    /** Overrides {@link #STORE_PATIENCE} in seconds (a test's short outage; a store known to be slow to recover). */
    static final String PATIENCE_ENV = "KINETIC_STORE_PATIENCE";

    private final BlobStore store;
    private final JobId jobId;
    /** Which host of a multi-host job this agent is: host 0 writes the job's keys, the others their own. */
    private final int host;

    private final Duration patience;
    private volatile String lastFailure;

    public JobWriter(BlobStore store, JobId jobId) {
        this(store, jobId, 0, STORE_PATIENCE);
    }

    JobWriter(BlobStore store, JobId jobId, int host, Duration patience) {
        this.store = store;
        this.jobId = jobId;
        this.host = host;
        this.patience = patience;
    }

    /** The patience {@code environment} asks for with {@link #PATIENCE_ENV}, else {@link #STORE_PATIENCE}. */
    static Duration patience(java.util.Map<String, String> environment) {
        String raw = environment.get(PATIENCE_ENV);
        if (raw != null) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(raw.trim())));
            } catch (NumberFormatException e) {
                System.err.println("kinetic agent: ignoring " + PATIENCE_ENV + "=" + raw + " (not whole seconds)");
            }
        }
        return STORE_PATIENCE;
    }

    /**
     * Why the last write that gave up failed, e.g. {@code cannot write gs://b/jobs/x/result.json: 403 Forbidden}, or
     * null when every write went through.
     */
    String lastFailure() {
        return lastFailure;
    }

    BlobStore store() {
        return store;
    }

    /** Records an event now (once: events are progress, not results). */
    public void event(EventType type, Map<String, String> details) {
        JobEvent e = new JobEvent(type, Instant.now(), details);
        store.put(e.key(jobId, host), e.toJson());
    }

    /**
     * Stores {@code bytes} as {@code result.bin} and returns {@code outcome} with their hash.
     *
     * @throws StoreException if the store refused them for longer than {@link #STORE_PATIENCE}
     */
    public JobOutcome withStoredResult(JobOutcome outcome, byte[] bytes) {
        if (!putPersistently(JobLayout.resultData(jobId, host), bytes, "the result")) {
            throw new StoreException("could not write the result to " + store.uri() + " for " + patience.toSeconds()
                    + " s (" + lastFailure + "); see the agent log");
        }
        return outcome.toBuilder().result(Hashing.sha256(bytes), bytes.length).build();
    }

    /** Writes the outcome (the commit point) and then its end event; returns whether the outcome was stored. */
    public boolean writeOutcome(JobOutcome outcome) {
        if (!putPersistently(JobLayout.resultMeta(jobId, host), outcome.toJson(), "the outcome")) {
            return false;
        }
        JobEvent end = new JobEvent(
                EventType.endedWith(outcome.status()),
                Instant.now(),
                outcome.reason() == null ? Map.of() : Map.of("reason", outcome.reason()));
        putPersistently(end.key(jobId, host), end.toJson(), "the end event");
        return true;
    }

    /**
     * Writes the outcome only if none exists yet (create-only), then its end event: for a batch's input, whose attempt
     * may have been given up as lost (its worker's lease ran out) while it was still running; then the outcome already
     * there stands, and this one is dropped. Retries like {@link #writeOutcome}.
     *
     * @return whether this outcome is the job's
     */
    public boolean writeOutcomeOnce(JobOutcome outcome) {
        String key = JobLayout.resultMeta(jobId, host);
        byte[] json = outcome.toJson();
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = 250;
        while (true) {
            try {
                if (!store.putIfAbsent(key, json)) {
                    // A put that timed out may have landed: then the outcome there is this one.
                    byte[] there = store.get(key).orElse(null);
                    if (there == null || !java.util.Arrays.equals(there, json)) {
                        return false;
                    }
                }
                break;
            } catch (RuntimeException e) {
                boolean last = System.nanoTime() + pause * 1_000_000 > deadline;
                System.err.println("kinetic worker: could not write the outcome to " + store.uri()
                        + (last ? " (giving up)" : " (will retry)") + ": " + e.getMessage());
                if (last) {
                    return false;
                }
                sleepQuietly(pause);
                pause = Math.min(pause * 2, 8000);
            }
        }
        JobEvent end = new JobEvent(
                EventType.endedWith(outcome.status()),
                Instant.now(),
                outcome.reason() == null ? Map.of() : Map.of("reason", outcome.reason()));
        putPersistently(end.key(jobId, host), end.toJson(), "the end event");
        return true;
    }

    /** Whether someone asked to cancel the job (a job's, not a host's, event); false when the store cannot tell now. */
    public boolean cancelRequested() {
        try {
            for (BlobInfo b : store.list(JobLayout.eventPrefix(jobId))) {
                if (JobEvent.typeOf(b.key()) == EventType.CANCEL_REQUESTED) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Writes {@code bytes}, retrying with growing pauses for up to {@link #STORE_PATIENCE}. Each failure goes to the
     * agent log; the last one is what status shows if all attempts fail.
     */
    private boolean putPersistently(String key, byte[] bytes, String what) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                store.put(key, bytes);
                return true;
            } catch (RuntimeException e) {
                boolean last = System.nanoTime() + pause * 1_000_000 > deadline;
                System.err.println("kinetic agent: could not write " + what + " to " + store.uri() + " (attempt "
                        + attempt + (last ? ", giving up" : ", will retry") + "): " + e.getMessage());
                if (last) {
                    lastFailure = "cannot write " + location(key) + ": " + e.getMessage();
                    return false;
                }
                sleepQuietly(pause);
                pause = Math.min(pause * 2, 8000);
            }
        }
    }

    private String location(String key) {
        String base = store.uri().toString();
        return base.endsWith("/") ? base + key : base + "/" + key;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
