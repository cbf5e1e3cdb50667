package dev.kinetic.store.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A byte range of a file as a request body. The SDK may ask for the stream again to retry, so every call opens
 * the range afresh (closing the previous stream); bytes read are reported to the upload's progress.
 */
final class FileSlice implements ContentStreamProvider, AutoCloseable {
    private final Path file;
    private final long offset;
    private final long length;
    private final UploadProgress progress;
    private InputStream current;

    FileSlice(Path file, long offset, long length, UploadProgress progress) {
        this.file = file;
        this.offset = offset;
        this.length = length;
        this.progress = progress;
    }

    @Override
    public synchronized InputStream newStream() {
        close();
        try {
            FileChannel channel =
                    FileChannel.open(file, StandardOpenOption.READ).position(offset);
            current = new Counting(Channels.newInputStream(channel));
            return current;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // a read-only file handle; nothing is lost
            }
            current = null;
        }
    }

    /** Stops at the end of the slice and reports how far into the whole upload it has read. */
    private final class Counting extends FilterInputStream {
        private long read;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= length) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, length - read));
            if (n > 0) {
                read += n;
                progress.reached(offset + read);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, length - read));
            read += skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), length - read);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
