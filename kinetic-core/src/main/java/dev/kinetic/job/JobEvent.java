package dev.kinetic.job;

import java.time.Instant;
import java.util.Map;

/**
 * One state change, stored as its own object ({@code jobs/<id>/events/<millis>-<type>}) because stores cannot
 * append. The type is in the key, so a listing alone tells a job's progress.
 *
 * @param type one of {@link #SUBMITTED}, {@link #STARTED}, {@link #ENDED}, {@link #CANCEL_REQUESTED}
 * @param at when it happened
 * @param details free-form facts (pid, host, reason)
 */
public record JobEvent(String type, Instant at, Map<String, String> details) {
    public static final String SUBMITTED = "submitted";
    public static final String STARTED = "started";
    public static final String ENDED = "ended";
    public static final String CANCEL_REQUESTED = "cancel-requested";

    public JobEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Written without Jackson, because the agent writes events (see {@link JsonText}). */
    public byte[] toJson() {
        return JsonText.object().field("type", type).field("at", at).field("details", details).end()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The event type encoded in a key, or null when the key is not an event. */
    public static String typeOf(String key) {
        int events = key.lastIndexOf("/events/");
        if (events < 0) {
            return null;
        }
        String name = key.substring(events + "/events/".length());
        int dash = name.indexOf('-');
        return dash < 0 ? null : name.substring(dash + 1);
    }

    /** The time encoded in an event key. */
    public static Instant timeOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Instant.ofEpochMilli(Long.parseLong(name.substring(0, name.indexOf('-'))));
    }
}
