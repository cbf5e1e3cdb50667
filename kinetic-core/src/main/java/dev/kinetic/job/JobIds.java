package dev.kinetic.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Job ids: {@code <accelerator>-<function>-<yyyyMMdd-HHmmss>-<7 hex>}, lowercase, a valid Kubernetes name
 * (at most 63 characters; the function part is shortened to fit).
 */
public final class JobIds {
    public static final int MAX_LENGTH = 63;
    private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public JobIds(Clock clock) {
        this.clock = clock;
    }

    public String next(String acceleratorPart, String function) {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        String suffix = HexFormat.of().formatHex(bytes).substring(0, 7);
        String accel = sanitize(acceleratorPart);
        if (accel.isEmpty()) {
            accel = "job";
        }
        String time = TIME.format(clock.instant());
        int room = MAX_LENGTH - accel.length() - time.length() - suffix.length() - 3;
        String fn = sanitize(function);
        if (fn.length() > room) {
            fn = fn.substring(0, room).replaceAll("-+$", "");
        }
        if (fn.isEmpty()) {
            fn = "fn";
        }
        return accel + "-" + fn + "-" + time + "-" + suffix;
    }

    /** Lowercase letters, digits and single dashes, no leading or trailing dash. */
    static String sanitize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /**
     * Checks a job id given by a user before it is used as a store key.
     *
     * @throws IllegalArgumentException naming the id
     */
    public static String validate(String id) {
        if (id == null || id.length() > MAX_LENGTH || !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a job id (ids look like "
                    + "cpu-train-20261128-153012-3f9a1c2); list jobs with `kinetic jobs list`");
        }
        return id;
    }
}
