package dev.kinetic.internal.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A log file on this machine. */
public record FileByteSource(Path file) implements ByteSource {
    @Override
    public long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] read(long offset, int length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (offset >= size) {
                return new byte[0];
            }
            byte[] out = new byte[(int) Math.min(length, size - offset)];
            f.seek(offset);
            f.readFully(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log " + file, e);
        }
    }
}
