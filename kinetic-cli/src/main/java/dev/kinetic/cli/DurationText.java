package dev.kinetic.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line or in a profile: {@code 30d}, {@code 12h}, {@code 90m}, {@code PT1H}. */
final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(d|h|m|s)");

    private DurationText() {}

    /**
     * @throws IllegalArgumentException naming the value and the forms that are understood
     */
    static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write e.g. 30d, 12h, 90m, 45s or PT1H");
        }
    }
}
