package dev.kinetic.image;

import dev.kinetic.spi.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The tag of a runtime image: the Kinetic version and a hash of everything that goes into the image, so the
 * same inputs always give the same tag and a tag found in the registry means "already built and pushed".
 *
 * @param baseDigest the base image's manifest digest (not its tag, which can move)
 * @param agentLayer {@code <sha256> <file name>} of each agent jar, in order
 * @param bundleLayer the sha256 of each bundled classpath entry, in order (empty without bundle mode)
 * @param kineticVersion the Kinetic version
 */
record ImageTag(String baseDigest, List<String> agentLayer, List<String> bundleLayer, String kineticVersion) {
    /**
     * Bumped whenever the image's layout changes (paths, entrypoint, environment, labels), so an image built by
     * an older layout is never reused.
     */
    static final String LAYOUT = "kinetic-image-layout-1";

    ImageTag {
        agentLayer = List.copyOf(agentLayer);
        bundleLayer = List.copyOf(bundleLayer);
    }

    /** {@code <version>-<20 hex>}, a valid tag (at most 128 of {@code [A-Za-z0-9_.-]}). */
    String value() {
        StringBuilder in = new StringBuilder(LAYOUT)
                .append('\n')
                .append(kineticVersion)
                .append('\n')
                .append(baseDigest);
        agentLayer.forEach(a -> in.append("\nagent ").append(a));
        bundleLayer.forEach(b -> in.append("\nbundle ").append(b));
        String hash =
                Hashing.sha256(in.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 20);
        String version = kineticVersion.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
        if (version.length() > 100) {
            version = version.substring(0, 100);
        }
        return version + "-" + hash;
    }
}
