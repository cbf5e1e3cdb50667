package dev.kinetic.bench;

/**
 * One measured figure.
 *
 * @param name e.g. {@code local.overhead}
 * @param value the number
 * @param unit {@code x} for ratios, {@code ms}, {@code bytes}
 * @param target the floor it is held to, as text (e.g. {@code <= 1.5x}), or null
 * @param detail what went into it
 */
record Figure(String name, double value, String unit, String target, String detail) {
    String line() {
        return String.format(java.util.Locale.ROOT, "%s %.3f %s", name, value, unit);
    }
}
