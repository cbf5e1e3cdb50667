package dev.kinetic.internal.protocol;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One state change, stored as its own object ({@code jobs/<id>/events/<millis>-<type>}) because stores cannot
 * append. The type is in the key, so a listing alone tells a job's progress.
 *
 * @param type what happened
 * @param at when it happened
 * @param details free-form facts (pid, host, reason)
 */
public record JobEvent(EventType type, Instant at, Map<String, String> details) {
    private static final String EVENTS = "/events/";

    public JobEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Written without Jackson, because the agent writes events (see {@link JsonText}). */
    public byte[] toJson() {
        return JsonText.object()
                .field("type", type.wireName())
                .field("at", at)
                .field("details", details)
                .end()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Where this event of job {@code id} is stored: {@code jobs/<id>/events/<millis>-<type>}. */
    public String key(JobId id) {
        return key(id, 0);
    }

    /** Where this event of host {@code host} of job {@code id} is stored (host 0's events are the job's). */
    public String key(JobId id, int host) {
        return JobLayout.eventPrefix(id, host) + String.format("%013d", at.toEpochMilli()) + "-" + type.wireName();
    }

    /**
     * The event type encoded in a key, or null when the key is not an event.
     *
     * @throws dev.kinetic.KineticException when the key names a type this version does not know
     */
    public static EventType typeOf(String key) {
        int events = key.lastIndexOf(EVENTS);
        if (events < 0) {
            return null;
        }
        String name = key.substring(events + EVENTS.length());
        int dash = name.indexOf('-');
        return dash < 0 ? null : EventType.fromWire(name.substring(dash + 1));
    }

    /** The time encoded in an event key. */
    public static Instant timeOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Instant.ofEpochMilli(Long.parseLong(name.substring(0, name.indexOf('-'))));
    }
}
