package dev.kinetic.cli;

/** How a command prints its data on stdout. */
public enum OutputFormat {
    /** Aligned columns for people; the default. */
    TABLE,
    /** One JSON document with stable field names, for scripts. */
    JSON,
    /** Job ids only, one a line ({@code jobs list} only), for {@code xargs}. */
    NAME
}
