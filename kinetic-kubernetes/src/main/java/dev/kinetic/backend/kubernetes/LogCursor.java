package dev.kinetic.backend.kubernetes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Where a follower is in a pod's log, so a reconnect resumes without repeating lines. The log API is asked
 * for timestamps; a reconnect asks for lines since the last delivered second and skips what was already
 * delivered: lines before the last timestamp, and at that timestamp as many as were delivered. Several lines
 * can share a timestamp, which is why a count is kept and not just the time.
 */
final class LogCursor {
    private Instant last;
    private int deliveredAtLast;
    private int seenAtLastThisStream;
    private long delivered;

    /** A line of a timestamped log: its time (null if it had none) and its text. */
    record Line(Instant time, String text) {
        static Line parse(String raw) {
            int space = raw.indexOf(' ');
            if (space > 0) {
                try {
                    return new Line(
                            OffsetDateTime.parse(raw.substring(0, space)).toInstant(), raw.substring(space + 1));
                } catch (DateTimeParseException e) {
                    // not a timestamp: the whole line is text
                }
            }
            return new Line(null, raw);
        }
    }

    /** Call before reading each new stream. */
    void beginStream() {
        seenAtLastThisStream = 0;
    }

    /** Whether this line, in stream order, is new and should be delivered. */
    boolean accept(Line line) {
        if (line.time() == null) {
            delivered++;
            return true; // cannot be placed; never expected with timestamps=true
        }
        int order = last == null ? 1 : line.time().compareTo(last);
        if (order > 0) {
            last = line.time();
            deliveredAtLast = 1;
            seenAtLastThisStream = 1;
            delivered++;
            return true;
        }
        if (order < 0) {
            return false;
        }
        seenAtLastThisStream++;
        if (seenAtLastThisStream > deliveredAtLast) {
            deliveredAtLast = seenAtLastThisStream;
            delivered++;
            return true;
        }
        return false;
    }

    /** The {@code sinceTime} for the next request: the last delivered second, or null to start at the beginning. */
    String sinceTime() {
        return last == null ? null : last.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    long delivered() {
        return delivered;
    }
}
