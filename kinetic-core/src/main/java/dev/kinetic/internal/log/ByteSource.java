package dev.kinetic.internal.log;

/** Random access to a sequence of bytes that may grow: a log file, or one stored log segment. */
public interface ByteSource {
    long size();

    /** Up to {@code length} bytes from {@code offset}; fewer at the end. */
    byte[] read(long offset, int length);
}
