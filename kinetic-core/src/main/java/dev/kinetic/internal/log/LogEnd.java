package dev.kinetic.internal.log;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Where a stored log ends, found without listing it: closed segments are numbered densely from 0, so the last one
 * is found by an exponential then a binary search over existence checks, starting from the writer's hint (the last
 * closed segment it noted, one listing of a single object), so usually one check; without a hint about 2 log2(n)
 * checks for n segments.
 * Only the open segment after it is listed (its chunks). See {@link LogKeys}.
 *
 * @param prefix the log's prefix
 * @param lastClosed the last closed segment, or -1 when none is
 * @param openChunks the chunks of segment {@code lastClosed + 1}, in order, or empty
 */
record LogEnd(String prefix, int lastClosed, List<BlobInfo> openChunks) {

    static LogEnd find(BlobStore store, String prefix) {
        int last = -1;
        int hint = hint(store, prefix);
        // The hint is written after its segment, so the segment exists unless the log was removed meanwhile.
        int from = hint >= 0 ? hint : 0;
        if (hint >= 0 || store.exists(LogKeys.segment(prefix, 0))) {
            // Exponential from what is known to exist, then binary: the hint is usually the end itself.
            int lo = from;
            int step = 1;
            while (store.exists(LogKeys.segment(prefix, lo + step))) {
                lo += step;
                step *= 2;
            }
            int hi = lo + step;
            while (hi - lo > 1) {
                int mid = lo + (hi - lo) / 2;
                if (store.exists(LogKeys.segment(prefix, mid))) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            last = lo;
        }
        return new LogEnd(prefix, last, store.list(LogKeys.chunkPrefix(prefix, last + 1)));
    }

    /** The last closed segment the writer noted, or -1 (no hint, an unreadable one, or a store error). */
    private static int hint(BlobStore store, String prefix) {
        String hints = LogKeys.endHintPrefix(prefix);
        int best = -1;
        try {
            for (BlobInfo b : store.list(hints)) {
                best = Math.max(best, Integer.parseInt(b.key().substring(hints.length())));
            }
        } catch (RuntimeException e) {
            return -1; // search from the start
        }
        return best;
    }

    /**
     * The segment a new writer starts at. An open segment left by an earlier writer (a crashed or preempted attempt)
     * is closed first, so at most the last segment of a log is ever open.
     */
    int nextSegment(BlobStore store) {
        if (openChunks.isEmpty()) {
            return lastClosed + 1;
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (BlobInfo chunk : openChunks) {
            byte[] bytes = store.get(chunk.key()).orElse(new byte[0]); // a loop, no method reference: the agent runs it
            whole.writeBytes(bytes);
        }
        store.put(LogKeys.segment(prefix, lastClosed + 1), whole.toByteArray());
        deleteChunks(store, prefix, lastClosed + 1);
        return lastClosed + 2;
    }

    /**
     * Deletes a closed segment's chunks, best effort: a reader prefers the segment over chunks left beside it, and a
     * store that refuses now leaves only a few small objects behind.
     */
    static void deleteChunks(BlobStore store, String prefix, int segment) {
        try {
            store.deletePrefix(LogKeys.chunkPrefix(prefix, segment));
        } catch (RuntimeException e) {
            // see above: harmless
        }
    }
}
