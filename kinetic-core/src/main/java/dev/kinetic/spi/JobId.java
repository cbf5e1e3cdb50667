package dev.kinetic.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A job id: {@code <accelerator>-<function>-<yyyyMMdd-HHmmss>-<7 hex>}, lowercase, a valid Kubernetes name (at
 * most 63 characters; the function part is shortened to fit), e.g. {@code cpu-train-20261128-153012-3f9a1c2}.
 *
 * <p>The one type for a job's identity from {@code runAsync} to the agent: the record, the store layout, the
 * agent's command line and the backends all take a {@code JobId}, so a string that is not an id is refused where it
 * enters ({@link #of(String)}), never deep inside a store or a cluster call.
 *
 * <p>Not a record: the agent compares and prints ids on its start-up path, and a record's generated
 * {@code equals}/{@code toString} bootstrap invokedynamic there.
 */
public final class JobId implements Comparable<JobId> {
    /** The longest id: a Kubernetes object name. */
    public static final int MAX_LENGTH = 63;

    private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Random RANDOM = new SecureRandom();

    private final String value;

    private JobId(String value) {
        this.value = value;
    }

    /**
     * Parses an id given by a user or read from a store.
     *
     * @throws IllegalArgumentException naming the value and what ids look like
     */
    @JsonCreator
    public static JobId of(String value) {
        if (value == null
                || value.length() > MAX_LENGTH
                || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a job id (ids look like "
                    + "cpu-train-20261128-153012-3f9a1c2); list jobs with `kinetic jobs list`");
        }
        return new JobId(value);
    }

    /** Whether {@code value} is a well-formed id. */
    public static boolean isValid(String value) {
        return value != null
                && value.length() <= MAX_LENGTH
                && VALID.matcher(value).matches();
    }

    /** A fresh id for a job of {@code function} on an accelerator whose id part is {@code acceleratorPart}. */
    public static JobId next(String acceleratorPart, String function, Instant now) {
        return next(acceleratorPart, function, now, 1);
    }

    /**
     * A fresh id for a job of {@code hosts} hosts. A multi-host job's id leaves room for the host index: on Kubernetes
     * its pods' host names are {@code <id>-<index>}, which must be a DNS label (63 characters) too.
     */
    public static JobId next(String acceleratorPart, String function, Instant now, int hosts) {
        int maxLength = hosts > 1 ? MAX_LENGTH - 1 - String.valueOf(hosts - 1).length() : MAX_LENGTH;
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        String suffix = HexFormat.of().formatHex(bytes).substring(0, 7);
        String accel = sanitize(acceleratorPart);
        if (accel.isEmpty()) {
            accel = "job";
        }
        String time = TIME.format(now);
        int room = maxLength - accel.length() - time.length() - suffix.length() - 3;
        String fn = sanitize(function);
        if (fn.length() > room) {
            fn = fn.substring(0, room).replaceAll("-+$", "");
        }
        if (fn.isEmpty()) {
            fn = "fn";
        }
        return new JobId(accel + "-" + fn + "-" + time + "-" + suffix);
    }

    /** Lowercase letters, digits and single dashes, no leading or trailing dash. */
    static String sanitize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /** The id as text, as users see it and as it appears in store keys and Kubernetes names. */
    @JsonValue
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(JobId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
