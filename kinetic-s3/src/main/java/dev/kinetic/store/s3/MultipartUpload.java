package dev.kinetic.store.s3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads a file as an S3 multipart upload, one part at a time straight from the file, so memory use does not
 * depend on the file's size. The object appears only when the upload completes; on any failure the upload is
 * aborted, so no partial object is ever visible.
 */
final class MultipartUpload {
    private static final Logger LOG = LoggerFactory.getLogger(MultipartUpload.class);
    /** S3 allows at most this many parts; larger files get larger parts. */
    private static final int MAX_PARTS = 10_000;

    private final S3Client client;
    private final String bucket;
    private final String objectKey;

    MultipartUpload(S3Client client, String bucket, String objectKey) {
        this.client = client;
        this.bucket = bucket;
        this.objectKey = objectKey;
    }

    /** Uploads {@code size} bytes of {@code source}; throws the SDK's exception after aborting the upload. */
    void upload(Path source, long size, long preferredPartSize, UploadProgress progress) {
        long partSize = Math.max(preferredPartSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket)
                        .key(objectKey)
                        .contentType(S3BlobStore.CONTENT_TYPE)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                parts.add(uploadPart(uploadId, number, source, offset, Math.min(partSize, size - offset), progress));
            }
            client.completeMultipartUpload(
                    b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException | Error e) {
            abort(uploadId, e);
            throw e;
        }
    }

    private CompletedPart uploadPart(
            String uploadId, int number, Path source, long offset, long length, UploadProgress progress) {
        try (FileSlice slice = new FileSlice(source, offset, length, progress)) {
            UploadPartResponse response = client.uploadPart(
                    b -> b.bucket(bucket)
                            .key(objectKey)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength(length)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    RequestBody.fromContentProvider(slice, length, S3BlobStore.CONTENT_TYPE));
            return CompletedPart.builder()
                    .partNumber(number)
                    .eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32())
                    .build();
        }
    }

    private void abort(String uploadId, Throwable cause) {
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            // The parts stay invisible (no object exists until completion) but take space until a bucket
            // lifecycle rule for incomplete multipart uploads removes them.
            cause.addSuppressed(e);
            LOG.warn(
                    "could not abort multipart upload {} of s3://{}/{}: {}",
                    uploadId,
                    bucket,
                    objectKey,
                    e.getMessage());
        }
    }
}
