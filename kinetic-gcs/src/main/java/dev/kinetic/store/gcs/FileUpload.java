package dev.kinetic.store.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.kinetic.spi.store.TransferListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * One file streamed to an object through a resumable upload, in chunks, and checked afterwards: the upload counts
 * only if the object then holds exactly the bytes sent (size and CRC32C).
 *
 * <p>The check is needed because the client library can finish without creating the object: when the request that
 * finalizes an upload fails after Cloud Storage persisted its bytes, the library asks for the session's state, finds
 * every byte persisted and treats the upload as done (JsonResumableSession.put in google-cloud-storage 2.63 returns
 * the state query's answer, which holds no object), so {@code WriteChannel.close()} returns normally. Such an upload
 * fails with {@link MutationRetry.UploadNotCommitted} and is sent again. {@link #send} may run more than once;
 * progress reported to the listener never goes backwards.
 */
final class FileUpload {
    private static final int BUFFER = 1024 * 1024;

    private final Storage storage;
    private final BlobInfo info;
    private final int chunkSize;
    private final Path source;
    private final String key;
    private final TransferListener listener;
    private long reported;

    FileUpload(Storage storage, BlobInfo info, int chunkSize, Path source, String key, TransferListener listener) {
        this.storage = storage;
        this.info = info;
        this.chunkSize = chunkSize;
        this.source = source;
        this.key = key;
        this.listener = listener;
    }

    /** Uploads the file once and checks the object; returns null (a {@link MutationRetry.Mutation}). */
    Void send() throws IOException {
        CRC32C crc = new CRC32C();
        long done = 0;
        try (FileChannel file = FileChannel.open(source, StandardOpenOption.READ)) {
            long size = file.size();
            // Not try-with-resources: closing the writer finalizes the upload, which must not happen after a failure,
            // or the bytes sent so far would become the object.
            WriteChannel writer = storage.writer(info);
            writer.setChunkSize(chunkSize);
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            while (file.read(buffer) > 0) {
                buffer.flip();
                crc.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    done += writer.write(buffer);
                }
                buffer.clear();
                progressed(done, size);
            }
            writer.close();
        }
        confirm(done, crc32c(crc));
        return null;
    }

    private void confirm(long size, String crc32c) throws MutationRetry.UploadNotCommitted {
        Blob blob = storage.get(info.getBlobId());
        if (blob == null
                || blob.getSize() == null
                || blob.getSize() != size
                || (blob.getCrc32c() != null && !blob.getCrc32c().equals(crc32c))) {
            throw new MutationRetry.UploadNotCommitted("the upload finished without error, but the object "
                    + (blob == null
                            ? "does not exist"
                            : "holds other bytes (size " + blob.getSize() + ", crc32c " + blob.getCrc32c() + "; sent "
                                    + size + ", crc32c " + crc32c + ")"));
        }
    }

    private void progressed(long done, long size) {
        if (done > reported) {
            reported = done;
            listener.progressed(key, done, size);
        }
    }

    /** Base64 of the big-endian CRC32C, as Cloud Storage reports it. */
    private static String crc32c(CRC32C crc) {
        long v = crc.getValue();
        return Base64.getEncoder()
                .encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
