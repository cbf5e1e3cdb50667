package dev.kinetic.internal.log;

import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One segment of a stored log as a listing shows it: closed (one object), or open (its chunks, read as one
 * sequence of bytes). See {@link LogKeys}.
 */
final class Segment implements ByteSource {
    private final BlobStore store;
    private final BlobInfo whole;
    private final List<BlobInfo> chunks;
    private final long size;

    private Segment(BlobStore store, BlobInfo whole, List<BlobInfo> chunks) {
        this.store = store;
        this.whole = whole;
        this.chunks = chunks;
        long total = 0;
        for (BlobInfo c : chunks) {
            total += c.size();
        }
        this.size = whole != null ? whole.size() : total;
    }

    static Segment chunked(BlobStore store, List<BlobInfo> chunks) {
        return new Segment(store, null, List.copyOf(chunks));
    }

    /** Every segment under {@code prefix} by number, from one listing; a closed segment hides chunks left beside it. */
    static TreeMap<Integer, Segment> listed(BlobStore store, String prefix) {
        TreeMap<Integer, BlobInfo> closed = new TreeMap<>();
        TreeMap<Integer, List<BlobInfo>> open = new TreeMap<>();
        for (BlobInfo b : store.list(prefix)) {
            int[] at = LogKeys.parse(prefix, b.key());
            if (at == null) {
                continue;
            }
            if (at[1] < 0) {
                closed.put(at[0], b);
            } else {
                open.computeIfAbsent(at[0], k -> new ArrayList<>()).add(b); // listings are sorted by key
            }
        }
        TreeMap<Integer, Segment> out = new TreeMap<>();
        open.forEach((n, chunks) -> out.put(n, new Segment(store, null, chunks)));
        closed.forEach((n, whole) -> out.put(n, new Segment(store, whole, List.of())));
        return out;
    }

    boolean closed() {
        return whole != null;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] read(long offset, int length) {
        if (whole != null) {
            return store.getRange(whole.key(), offset, length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = 0;
        for (BlobInfo c : chunks) {
            long end = start + c.size();
            if (offset < end && out.size() < length) {
                long from = Math.max(offset, start) - start;
                int want = (int) Math.min(c.size() - from, length - out.size());
                out.writeBytes(store.getRange(c.key(), from, want));
            }
            start = end;
        }
        return out.toByteArray();
    }
}
