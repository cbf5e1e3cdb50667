package dev.kinetic.store.gcs;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import dev.kinetic.spi.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Deletes every object of a listing, page by page, several requests at a time. The JSON API deletes one object per
 * request; running a handful in parallel keeps the cleanup of a large prefix to seconds.
 */
final class PrefixDeletion {
    private static final int PARALLEL = 8;

    private final Storage storage;
    private final String bucket;
    private final MutationRetry mutations;

    PrefixDeletion(Storage storage, String bucket, MutationRetry mutations) {
        this.storage = storage;
        this.bucket = bucket;
        this.mutations = mutations;
    }

    /** Deletes what {@code first} and the pages after it list; returns how many objects were deleted. */
    int deleteAll(Page<Blob> first) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "kinetic-gcs-delete");
            t.setDaemon(true);
            return t;
        });
        try {
            int deleted = 0;
            // Deleting a page does not disturb the page token, which is a position in name order.
            for (Page<Blob> page = first; page != null; page = page.hasNextPage() ? page.getNextPage() : null) {
                List<Future<Boolean>> results = new ArrayList<>();
                for (Blob blob : page.getValues()) {
                    BlobId id = BlobId.of(bucket, blob.getName());
                    results.add(pool.submit(() -> mutations.runUnchecked(() -> storage.delete(id))));
                }
                for (Future<Boolean> result : results) {
                    if (result.get()) {
                        deleted++;
                    }
                }
            }
            return deleted;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException("could not delete from bucket " + bucket + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while deleting from bucket " + bucket, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
