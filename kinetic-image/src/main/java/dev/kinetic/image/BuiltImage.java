package dev.kinetic.image;

/**
 * The runtime image in the registry.
 *
 * @param reference {@code registry/repository:tag}, the tag derived from the image's inputs
 * @param digest the manifest digest, {@code sha256:...}
 * @param reused true when the tag was already in the registry, so nothing was built or pushed
 */
public record BuiltImage(String reference, String digest, boolean reused) {
    /** The reference pinned to the digest ({@code registry/repository:tag@sha256:...}), what a pod should pull. */
    public String pinned() {
        return reference + "@" + digest;
    }
}
