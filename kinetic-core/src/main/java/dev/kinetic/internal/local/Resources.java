package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU and memory requests written as Kubernetes quantities ({@code 500m}, {@code 2}; {@code 512Mi}, {@code 8Gi}). */
final class Resources {
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?");

    private Resources() {}

    /**
     * A CPU request in thousandths of a CPU; {@code null} stays 0.
     *
     * @throws KineticException naming the value and the forms understood
     */
    static long cpuMillis(String quantity, String what) {
        if (quantity == null) {
            return 0;
        }
        Matcher m = QUANTITY.matcher(quantity.trim());
        if (!m.matches() || (m.group(2) != null && !m.group(2).equals("m"))) {
            throw invalid(what, quantity, "a number of CPUs (1, 2, 0.5) or of thousandths (500m)");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        long millis = m.group(2) == null
                ? n.movePointRight(3)
                        .setScale(0, java.math.RoundingMode.CEILING)
                        .longValueExact()
                : n.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        if (millis < 1) {
            throw invalid(what, quantity, "more than zero CPUs, e.g. 500m or 2");
        }
        return millis;
    }

    /**
     * A memory request in bytes; {@code null} stays 0.
     *
     * @throws KineticException naming the value and the forms understood
     */
    static long memoryBytes(String quantity, String what) {
        if (quantity == null) {
            return 0;
        }
        Matcher m = QUANTITY.matcher(quantity.trim());
        if (!m.matches() || "m".equals(m.group(2))) {
            throw invalid(what, quantity, "bytes with a suffix: 512Mi, 8Gi (powers of 1024) or 500M, 2G (of 1000)");
        }
        long unit = m.group(2) == null ? 1 : unit(m.group(2));
        long bytes = new BigDecimal(m.group(1))
                .multiply(BigDecimal.valueOf(unit))
                .setScale(0, java.math.RoundingMode.CEILING)
                .longValueExact();
        if (bytes < 1) {
            throw invalid(what, quantity, "more than zero bytes, e.g. 512Mi or 8Gi");
        }
        return bytes;
    }

    private static long unit(String suffix) {
        return switch (suffix) {
            case "k" -> 1000L;
            case "M" -> 1000L * 1000;
            case "G" -> 1000L * 1000 * 1000;
            case "T" -> 1000L * 1000 * 1000 * 1000;
            case "P" -> 1000L * 1000 * 1000 * 1000 * 1000;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            default -> 1L << 50;
        };
    }

    private static KineticException invalid(String what, String value, String expected) {
        String setting = what.contains("cpu") ? "cpu" : "memory";
        return new KineticException("invalid " + what + " '" + value + "': use " + expected + ", as on Kubernetes "
                + "(per job: backendSetting(\"" + setting + "\", ...); for every job: KINETIC_"
                + setting.toUpperCase(Locale.ROOT) + ")");
    }
}
