package dev.kinetic.image;

/**
 * Receives the progress of {@link RuntimeImage#buildOrReuse()}; the library never prints. Every method has an
 * empty default, so a caller implements only what it shows.
 * <pre>{@code
 * RuntimeImage.builder().registry("ghcr.io/acme/kinetic")
 *     .listener(new ImageBuildListener() {
 *         public void step(String message) { System.err.println(message); }
 *     })
 *     .build().buildOrReuse();
 * }</pre>
 */
public interface ImageBuildListener {
    /** Ignores everything. */
    ImageBuildListener NONE = new ImageBuildListener() {};

    /** A step of ours: resolving the base, reusing an existing tag, building and pushing. */
    default void step(String message) {}

    /** The share of Jib's build work done so far, from 0 to 1; only while building. */
    default void progress(double fractionDone) {}

    /** A line Jib logged at info level or above (warnings about plain-HTTP registries, for instance). */
    default void log(String level, String message) {}
}
