package dev.kinetic.spi.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random content for store tests, generated in fixed-size blocks so any byte range can be
 * recomputed without holding the whole object in memory.
 *
 * <pre>{@code
 * TestData data = new TestData(42);
 * data.writeFile(file, 200L << 20);            // 200 MB on disk, never in a byte[]
 * byte[] expected = data.slice(1000, 16);      // the same bytes the file holds at offset 1000
 * }</pre>
 */
public record TestData(long seed) {
    private static final int BLOCK = 64 * 1024;

    /** Writes {@code size} bytes of this data to {@code file} and returns the file's SHA-256 (hex). */
    public String writeFile(Path file, long size) throws IOException {
        MessageDigest sha = sha256();
        byte[] block = new byte[BLOCK];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long offset = 0, index = 0; offset < size; offset += BLOCK, index++) {
                fill(index, block);
                int n = (int) Math.min(BLOCK, size - offset);
                out.write(block, 0, n);
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The {@code length} bytes of this data starting at {@code offset}. */
    public byte[] slice(long offset, int length) {
        byte[] out = new byte[length];
        byte[] block = new byte[BLOCK];
        int done = 0;
        while (done < length) {
            long position = offset + done;
            fill(position / BLOCK, block);
            int from = (int) (position % BLOCK);
            int n = Math.min(BLOCK - from, length - done);
            System.arraycopy(block, from, out, done, n);
            done += n;
        }
        return out;
    }

    /** SHA-256 (hex) of everything {@code in} yields; reads in small buffers. */
    public static String sha256Of(InputStream in) {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** SHA-256 (hex) of a file, streamed. */
    public static String sha256Of(Path file) throws IOException {
        return sha256Of(Files.newInputStream(file));
    }

    private void fill(long blockIndex, byte[] block) {
        // One generator per block makes every block independently reproducible (see slice).
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + blockIndex);
        for (int i = 0; i < block.length; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                block[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
