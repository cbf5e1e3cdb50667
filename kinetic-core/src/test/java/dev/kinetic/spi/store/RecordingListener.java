package dev.kinetic.spi.store;

import java.util.ArrayList;
import java.util.List;

/** A {@link TransferListener} that remembers every call, for asserting on progress reports. */
public final class RecordingListener implements TransferListener {
    private final List<Long> progress = new ArrayList<>();
    private long startedTotal = Long.MIN_VALUE;
    private long finishedTotal = Long.MIN_VALUE;
    private int startedCalls;
    private int finishedCalls;

    @Override
    public synchronized void started(String key, long totalBytes) {
        startedCalls++;
        startedTotal = totalBytes;
    }

    @Override
    public synchronized void progressed(String key, long doneBytes, long totalBytes) {
        progress.add(doneBytes);
    }

    @Override
    public synchronized void finished(String key, long totalBytes) {
        finishedCalls++;
        finishedTotal = totalBytes;
    }

    public synchronized List<Long> progress() {
        return List.copyOf(progress);
    }

    public synchronized long startedTotal() {
        return startedTotal;
    }

    public synchronized long finishedTotal() {
        return finishedTotal;
    }

    public synchronized int startedCalls() {
        return startedCalls;
    }

    public synchronized int finishedCalls() {
        return finishedCalls;
    }

    /** The last progress value reported, or -1 if none. */
    public synchronized long lastProgress() {
        return progress.isEmpty() ? -1 : progress.get(progress.size() - 1);
    }
}
