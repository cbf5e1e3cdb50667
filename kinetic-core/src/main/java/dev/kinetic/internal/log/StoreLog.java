package dev.kinetic.internal.log;

import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A job's log in the store: numbered segments under {@code jobs/<id>/log/}, because stores cannot append.
 * The agent rewrites the last segment as it grows ({@link StoreLogWriter}); readers see whole versions of it.
 */
public final class StoreLog {
    private final BlobStore store;
    private final String prefix;

    public StoreLog(BlobStore store, JobId jobId) {
        this(store, jobId, 0);
    }

    /** The log of host {@code host} of a multi-host job (host 0's log is the job's). */
    public StoreLog(BlobStore store, JobId jobId, int host) {
        this.store = store;
        this.prefix = JobLayout.logPrefix(jobId, host);
    }

    /** The segments in write order. */
    public List<ByteSource> segments() {
        List<ByteSource> out = new ArrayList<>();
        for (BlobInfo info : store.list(prefix)) {
            out.add(new Segment(store, info.key(), info.size()));
        }
        return out;
    }

    public List<String> tail(int lines) {
        return LogTail.tail(segments(), lines);
    }

    public List<String> all() {
        List<String> out = new ArrayList<>();
        LineAssembler lines = new LineAssembler(out::add);
        for (ByteSource s : segments()) {
            long size = s.size();
            for (long off = 0; off < size; off += 1 << 20) {
                lines.accept(s.read(off, (int) Math.min(1 << 20, size - off)));
            }
        }
        lines.finish();
        return out;
    }

    /**
     * Delivers every line from the start, then new ones as they are stored, until {@code ended} is true and a
     * last read found nothing new.
     */
    public void follow(Consumer<String> sink, BooleanSupplier ended, long pollMillis) {
        LineAssembler lines = new LineAssembler(sink);
        int segment = 0;
        long offset = 0;
        while (true) {
            boolean finished = ended.getAsBoolean();
            List<BlobInfo> infos = store.list(prefix);
            boolean progressed = false;
            while (segment < infos.size()) {
                BlobInfo info = infos.get(segment);
                if (offset < info.size()) {
                    byte[] data = store.getRange(info.key(), offset, (int) Math.min(1 << 20, info.size() - offset));
                    offset += data.length;
                    lines.accept(data);
                    progressed = true;
                    continue;
                }
                if (segment + 1 < infos.size()) {
                    segment++;
                    offset = 0;
                    continue;
                }
                break;
            }
            if (finished && !progressed) {
                lines.finish();
                return;
            }
            if (!progressed) {
                sleep(pollMillis);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.kinetic.KineticException("interrupted while following logs", e);
        }
    }

    private record Segment(BlobStore store, String key, long size) implements ByteSource {
        @Override
        public byte[] read(long offset, int length) {
            return store.getRange(key, offset, length);
        }
    }
}
