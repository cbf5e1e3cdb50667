package dev.kinetic;

import java.time.Instant;

/**
 * A file the job wrote under {@code KINETIC_OUTPUT_DIR}, as synced to the store.
 *
 * @param path its path relative to the output directory, {@code /}-separated
 * @param size its size in bytes
 * @param lastModified when the store received it
 */
public record OutputFile(String path, long size, Instant lastModified) {}
