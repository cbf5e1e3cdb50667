package dev.kinetic.internal.batch;

import dev.kinetic.spi.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A worker's lease, {@code groups/<batch>/workers/<worker>}: rewritten every {@link #RENEW} while the worker lives
 * (never faster: object stores limit rewrites of one object), and once more with state {@code exited} when it stops.
 * Another worker takes over an input whose worker's lease ran out ({@link #LEASE} without a new {@code beat}, measured
 * on its own clock) or who exited without finishing it. Readers on other machines compare {@code at} with their own
 * clock, which assumes the clocks agree within seconds (NTP); a wrong guess there only shows a count, it never runs an
 * input twice.
 *
 * @param worker the worker's id
 * @param host where it runs
 * @param pid its process id there
 * @param beat how many times it renewed its lease: a lease whose beat does not change has run out
 * @param at when it last renewed, on its own clock
 * @param state {@link #RUNNING} or {@link #EXITED}
 * @param job the job id of the input it runs now, or null between inputs
 * @param inputs how many inputs it has finished
 */
public record WorkerBeat(
        String worker, String host, long pid, long beat, Instant at, String state, String job, int inputs) {
    /** How often a worker renews its lease. */
    public static final Duration RENEW = Duration.ofSeconds(3);
    /** How long a lease lasts without a renewal. */
    public static final Duration LEASE = Duration.ofSeconds(15);

    public static final String RUNNING = "running";
    public static final String EXITED = "exited";

    /** Whether the worker is alive as far as a reader at {@code now} can tell. */
    public boolean alive(Instant now) {
        return !EXITED.equals(state) && at != null && at.plus(LEASE).isAfter(now);
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lease, or empty when the bytes are not one (a damaged object counts as no lease). */
    public static Optional<WorkerBeat> fromJson(byte[] json) {
        try {
            return Optional.of(Json.MAPPER.readValue(json, WorkerBeat.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
