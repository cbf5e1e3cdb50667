package dev.kinetic.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.spi.store.StoreException;
import dev.kinetic.spi.store.TestData;
import dev.kinetic.spi.store.TransferListener;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 server dies in the middle of a multipart upload: the upload fails clearly and leaves no object. */
class S3UploadInterruptionTest {
    private static S3MockServer s3;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startS3() {
        s3 = S3MockServer.start();
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aServerStoppedMidUploadGivesAClearErrorAndNoPartialObject() throws Exception {
        long size = 40L * 1024 * 1024;
        Path file = tempDir.resolve("big.bin");
        new TestData(99).writeFile(file, size);
        String key = "jobs/interrupted/payload.bin";
        AtomicBoolean killed = new AtomicBoolean();
        // Kill the server from the uploading thread once the second 16 MiB part is under way.
        TransferListener killer = new TransferListener() {
            @Override
            public void progressed(String k, long done, long total) {
                if (done > 20L * 1024 * 1024 && killed.compareAndSet(false, true)) {
                    s3.kill();
                }
            }
        };

        try (BlobStore store = BlobStores.open(s3.storeUri("interrupt"), s3.environment())) {
            store.put("jobs/interrupted/before", new byte[] {1});

            assertThatThrownBy(() -> store.put(key, file, killer))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(key)
                    .hasMessageContaining(s3.storeUri("interrupt").toString())
                    .hasMessageContaining(s3.endpoint().toString());
            assertThat(killed).isTrue();

            s3.restart();

            assertThat(store.exists(key)).isFalse();
            assertThat(store.list("jobs/interrupted/"))
                    .extracting(b -> b.key())
                    .containsExactly("jobs/interrupted/before");
            // the same store works again once the server is back
            store.put(key, file);
            assertThat(store.stat(key).orElseThrow().size()).isEqualTo(size);
        }
    }
}
