package dev.kinetic.spi.store;

import java.time.Instant;

/** What a store knows about one object without reading it. */
public record BlobInfo(String key, long size, Instant lastModified) {}
